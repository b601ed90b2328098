export * from './otlp-settings';
export type { RequestSpans } from './request-spans';
export * from './create-request-spans';
