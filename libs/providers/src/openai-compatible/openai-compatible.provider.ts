import type { HttpProvider } from '../provider';
import { trimBase } from '../shared/http';
import { createOpenAIShapedProvider } from '../openai/openai.provider';
import type { OpenAICompatibleConfig } from './openai-compatible.config';
import { dialectFor } from './vendors';

/** Any server speaking Chat Completions at base_url (vLLM, Ollama, Groq, DeepSeek, Mistral, ...); api_key optional. */
export function createOpenAICompatibleProvider(config: OpenAICompatibleConfig): HttpProvider {
  const base = trimBase(config.base_url);
  return createOpenAIShapedProvider('openai-compatible', base, config, dialectFor(base));
}
