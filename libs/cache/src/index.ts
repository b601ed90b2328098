/** Public surface of libs/cache: the response cache port and its factory (Redis is loaded only when used), keys, entries, capture, metrics, the standalone replica bridge. */
export * from './cache-key';
export * from './cache-metrics';
export * from './cached-response';
export * from './create-response-cache';
export * from './decoded-entries';
export * from './ipc-cache-primary';
export * from './response-cache.port';
export * from './response-capture';
