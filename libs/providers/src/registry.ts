import type { Provider } from './provider';
import type { ProviderConfig, ProviderConfigOf, ProviderType } from './provider-config';

type Factory<T extends ProviderType> = (config: ProviderConfigOf<T>) => Provider;

/**
 * Each type's factory takes its own validated config (the schema already checked every field). A
 * type's code is loaded when a provider of that type is created, so a process that only validates
 * config (guard, analytics) does not load translators and signers it never uses.
 */
const FACTORIES: { readonly [T in ProviderType]: () => Factory<T> } = {
  openai: () => (require('./openai/openai.provider') as typeof import('./openai/openai.provider')).createOpenAIProvider,
  'azure-openai': () => (require('./azure-openai/azure-openai.provider') as typeof import('./azure-openai/azure-openai.provider')).createAzureOpenAIProvider,
  'openai-compatible': () =>
    (require('./openai-compatible/openai-compatible.provider') as typeof import('./openai-compatible/openai-compatible.provider')).createOpenAICompatibleProvider,
  anthropic: () => (require('./anthropic/anthropic.provider') as typeof import('./anthropic/anthropic.provider')).createAnthropicProvider,
  gemini: () => (require('./gemini/gemini.provider') as typeof import('./gemini/gemini.provider')).createGeminiProvider,
  bedrock: () => (require('./bedrock/bedrock.provider') as typeof import('./bedrock/bedrock.provider')).createBedrockProvider,
  vertex: () => (require('./vertex/vertex.provider') as typeof import('./vertex/vertex.provider')).createVertexProvider,
  mock: () => (require('./mock/mock.provider') as typeof import('./mock/mock.provider')).createMockProvider,
};

/** One configured provider account → its implementation. */
export function createProvider<T extends ProviderType>(config: ProviderConfigOf<T>): Provider {
  return (FACTORIES[config.type as T] as () => Factory<T>)()(config);
}

/** Every configured provider, by its configured name. */
export function createProviders(providers: Readonly<Record<string, ProviderConfig>>): Map<string, Provider> {
  const out = new Map<string, Provider>();
  for (const [name, pc] of Object.entries(providers)) out.set(name, createProvider(pc));
  return out;
}
