import type { ProviderConfig } from '@gatehouse/config/schema';
import type { HttpProvider } from '../provider';
import { trimBase } from '../shared/http';
import { createOpenAIShapedProvider } from '../openai/openai.provider';
import { dialectFor } from './vendors';

/** Any server speaking Chat Completions at base_url (vLLM, Ollama, Groq, DeepSeek, Mistral, ...); api_key optional. */
export function createOpenAICompatibleProvider(_name: string, config: ProviderConfig): HttpProvider {
  if (!config.base_url) throw new Error('openai-compatible provider needs base_url');
  const base = trimBase(config.base_url);
  return createOpenAIShapedProvider('openai-compatible', base, config, dialectFor(base));
}
