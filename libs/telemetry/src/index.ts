export * from './otlp-settings';
export * from './request-spans';
export * from './create-request-spans';
