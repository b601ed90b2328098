/** Public surface of libs/routing: target plans and latency statistics. */
export * from './latency-stats';
export * from './plan';
