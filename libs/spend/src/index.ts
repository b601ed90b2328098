/** Public surface of libs/spend: the limiter use case, the counters port and its adapters, budget periods, the spend source. */
export * from './counters.port';
export * from './limiter';
export * from './memory/memory-counters';
export * from './ipc/ipc-worker-counters';
export * from './ipc/ipc-primary-counters';
export * from './periods';
export * from './scopes';
export * from './spend-source';
export * from './token-estimate';
export * from './create-redis-counters';
