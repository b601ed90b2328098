import type { HttpProvider, UpstreamRequest } from '../provider';
import { jsonHeaders, trimBase } from '../shared/http';
import type { OpenAICompatibleConfig } from '../openai-compatible/openai-compatible.config';
import type { OpenAIConfig } from './openai.config';
import { parseUpstreamError } from '../shared/upstream-error';
import { buildEmbeddingsBody, parseEmbeddings } from './embeddings';
import { buildChatBody, OPENAI_DIALECT, passthroughBody, type OpenAIDialect } from './request';
import { parseChatCompletion } from './response';
import { OpenAIStreamParser } from './stream';
import { parseResponsesResult, ResponsesStreamParser, responsesPassthroughBody } from './responses';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** api.openai.com (or a proxy of it via base_url), Bearer api_key. */
export function createOpenAIProvider(config: OpenAIConfig): HttpProvider {
  return createOpenAIShapedProvider('openai', trimBase(config.base_url ?? OPENAI_DEFAULT_BASE_URL), config, OPENAI_DIALECT);
}

/** A Chat Completions server at `base` (OpenAI itself, or an OpenAI-compatible one with its dialect). */
export function createOpenAIShapedProvider(
  type: 'openai' | 'openai-compatible',
  base: string,
  config: OpenAIConfig | OpenAICompatibleConfig,
  dialect: OpenAIDialect,
): HttpProvider {
  const headers = jsonHeaders(config, config.api_key ? { authorization: `Bearer ${config.api_key}` } : {});
  const chatUrl = `${base}/chat/completions`;
  const embeddingsUrl = `${base}/embeddings`;
  const responsesUrl = `${base}/responses`;
  const post = (url: string, body: unknown): UpstreamRequest => ({ method: 'POST', url, headers: { ...headers }, body: JSON.stringify(body) });
  const streamUsage = type === 'openai' ? undefined : dialect.streamUsage;

  const provider: HttpProvider = {
    kind: 'http',
    type,
    nativeFormat: 'openai',
    chatRequest: (req, model) => post(chatUrl, buildChatBody(req, model, dialect)),
    passthroughRequest: (body, model) => post(chatUrl, passthroughBody(body, model, streamUsage)),
    parseChatResponse: parseChatCompletion,
    createStreamParser: (model) => new OpenAIStreamParser(model),
    embeddingsRequest: (req, model) => post(embeddingsUrl, buildEmbeddingsBody(req, model)),
    parseEmbeddingsResponse: parseEmbeddings,
    parseError: parseUpstreamError,
  };
  if (config.responses === 'native') {
    provider.responses = {
      request: (body, model) => post(responsesUrl, responsesPassthroughBody(body, model)),
      parse: parseResponsesResult,
      createStreamParser: (model) => new ResponsesStreamParser(model),
    };
  }
  return provider;
}
