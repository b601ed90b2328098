import type { Provider } from './provider';
import type { ProviderConfig, ProviderConfigOf, ProviderType } from './provider-config';
import { createAnthropicProvider } from './anthropic/anthropic.provider';
import { createAzureOpenAIProvider } from './azure-openai/azure-openai.provider';
import { createBedrockProvider } from './bedrock/bedrock.provider';
import { createGeminiProvider } from './gemini/gemini.provider';
import { createMockProvider } from './mock/mock.provider';
import { createOpenAICompatibleProvider } from './openai-compatible/openai-compatible.provider';
import { createOpenAIProvider } from './openai/openai.provider';

/** Each type's factory takes its own validated config (the schema already checked every field). */
const FACTORIES: { readonly [T in ProviderType]: (config: ProviderConfigOf<T>) => Provider } = {
  openai: createOpenAIProvider,
  'azure-openai': createAzureOpenAIProvider,
  'openai-compatible': createOpenAICompatibleProvider,
  anthropic: createAnthropicProvider,
  gemini: createGeminiProvider,
  bedrock: createBedrockProvider,
  mock: createMockProvider,
};

/** One configured provider account → its implementation. */
export function createProvider<T extends ProviderType>(config: ProviderConfigOf<T>): Provider {
  return (FACTORIES[config.type as T] as (c: ProviderConfigOf<T>) => Provider)(config);
}

/** Every configured provider, by its configured name. */
export function createProviders(providers: Readonly<Record<string, ProviderConfig>>): Map<string, Provider> {
  const out = new Map<string, Provider>();
  for (const [name, pc] of Object.entries(providers)) out.set(name, createProvider(pc));
  return out;
}
