/** Public surface of libs/runtime: settings, start-up, the Nest runtime module, HTTP serving, guards and readiness. */
export * from './admin.guard';
export * from './cluster';
export * from './reload-fanout';
export * from './readiness';
export * from './runtime';
export * from './runtime.module';
export * from './serve';
export * from './settings';
export * from './admin-token';
export * from './start';
export * from './zod-body';
export * from './view.module';
