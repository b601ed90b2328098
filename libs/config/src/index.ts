export * from './schema';
export * from './interpolate';
export * from './load';
export * from './env';
export * from './credentials';
export * from './spend-schema';
export * from './telemetry-schema';
export * from './auth-schema';
