/** Public surface of libs/observability: logger, metrics registry, ids, credential masking. */
export * from './ids';
export * from './logger';
export * from './metrics';
export * from './credential-mask';
