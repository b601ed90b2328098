import type { ProviderConfig } from '@gatehouse/config/schema';
import type { HttpProvider, UpstreamRequest } from '../provider';
import { jsonHeaders, originOf, trimBase } from '../shared/http';
import { parseUpstreamError } from '../shared/upstream-error';
import { buildEmbeddingsBody, parseEmbeddings } from '../openai/embeddings';
import { buildChatBody, passthroughBody } from '../openai/request';
import { parseChatCompletion } from '../openai/response';
import { OpenAIStreamParser } from '../openai/stream';
import { dialectFor } from './vendors';

/** Any server speaking Chat Completions at base_url (vLLM, Ollama, Groq, DeepSeek, Mistral, ...); api_key optional. */
export function createOpenAICompatibleProvider(_name: string, config: ProviderConfig): HttpProvider {
  if (!config.base_url) throw new Error('openai-compatible provider needs base_url');
  const base = trimBase(config.base_url);
  const dialect = dialectFor(base);
  const headers = jsonHeaders(config, config.api_key ? { authorization: `Bearer ${config.api_key}` } : {});
  const chatUrl = `${base}/chat/completions`;
  const embeddingsUrl = `${base}/embeddings`;
  const post = (url: string, body: unknown): UpstreamRequest => ({ method: 'POST', url, headers: { ...headers }, body: JSON.stringify(body) });
  const origin = originOf(base);

  return {
    kind: 'http',
    type: 'openai-compatible',
    nativeFormat: 'openai',
    origin: () => origin,
    chatRequest: (req, model) => post(chatUrl, buildChatBody(req, model, dialect)),
    passthroughRequest: (body, model) => post(chatUrl, passthroughBody(body, model, dialect.streamUsage)),
    parseChatResponse: parseChatCompletion,
    createStreamParser: (model) => new OpenAIStreamParser(model),
    embeddingsRequest: (req, model) => post(embeddingsUrl, buildEmbeddingsBody(req, model)),
    parseEmbeddingsResponse: parseEmbeddings,
    parseError: parseUpstreamError,
  };
}
