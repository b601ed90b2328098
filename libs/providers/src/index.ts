/** Public surface of libs/providers: the provider interface, each type's config schema and the registry. */
export * from './provider';
export * from './provider-config';
export * from './registry';
export { countInputTokens, countTokens, inputTexts, preloadTokenizer, tokenizerLoaded } from './mock/tokens';
