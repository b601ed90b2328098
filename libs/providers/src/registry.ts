import type { GatehouseConfig, ProviderConfig, ProviderType } from '@gatehouse/config/schema';
import type { Provider, ProviderFactory } from './provider';
import { createAnthropicProvider } from './anthropic/anthropic.provider';
import { createAzureOpenAIProvider } from './azure-openai/azure-openai.provider';
import { createBedrockProvider } from './bedrock/bedrock.provider';
import { createGeminiProvider } from './gemini/gemini.provider';
import { createMockProvider } from './mock/mock.provider';
import { createOpenAICompatibleProvider } from './openai-compatible/openai-compatible.provider';
import { createOpenAIProvider } from './openai/openai.provider';

const FACTORIES: Readonly<Record<ProviderType, ProviderFactory>> = {
  openai: createOpenAIProvider,
  'azure-openai': createAzureOpenAIProvider,
  'openai-compatible': createOpenAICompatibleProvider,
  anthropic: createAnthropicProvider,
  gemini: createGeminiProvider,
  bedrock: createBedrockProvider,
  mock: createMockProvider,
};

/** One configured provider account → its implementation. */
export function createProvider(name: string, config: ProviderConfig): Provider {
  return FACTORIES[config.type](name, config);
}

/** Every provider in the config, by its configured name. */
export function createProviders(config: GatehouseConfig): Map<string, Provider> {
  const out = new Map<string, Provider>();
  for (const [name, pc] of Object.entries(config.providers)) out.set(name, createProvider(name, pc));
  return out;
}
