/** Public surface of libs/routing: target plans, latency statistics, circuit breakers. */
export * from './latency-stats';
export * from './plan';
export * from './circuit-breaker';
export * from './target-board';
