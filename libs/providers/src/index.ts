/** Public surface of libs/providers: the provider interface, each type's config schema and the registry. */
export * from './provider';
export * from './provider-config';
export * from './registry';
export { countInputTokens, countTokens, inputTexts } from './mock/tokens';
