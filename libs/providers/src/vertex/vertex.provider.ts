import type { HttpProvider, UpstreamErrorInfo, UpstreamRequest } from '../provider';
import { buildGeminiCountBody, buildGeminiRequest, parseGeminiTokenCount } from '../gemini/request';
import { countTokensBody, parseTokenCount } from '../anthropic/request';
import { parseGeminiResponse } from '../gemini/response';
import { GeminiStreamParser } from '../gemini/stream';
import { parseMessage } from '../anthropic/response';
import { AnthropicStreamParser } from '../anthropic/stream';
import { jsonHeaders, trimBase } from '../shared/http';
import { StructuredStreamParser, structuredResponse } from '../shared/structured-tool';
import { parseUpstreamError } from '../shared/upstream-error';
import type { VertexConfig } from './vertex.config';
import { buildVertexMessagesBody, modelResource, publisherOf, vertexDefaultBaseUrl } from './request';
import { readServiceAccount } from './service-account';
import { GOOGLE_TOKEN_URL, ServiceAccountTokenSource, StaticToken, type AccessTokenSource } from './token-source';

/**
 * Google Cloud Vertex AI. Gemini models speak the Gemini wire format (`:generateContent`,
 * `:streamGenerateContent?alt=sse`), Claude models Anthropic's Messages format (`:rawPredict`,
 * `:streamRawPredict`, model in the URL, `anthropic_version` in the body). Requests carry an OAuth2
 * access token: exchanged from the service-account key file, or the static `api_key`.
 */
export function createVertexProvider(config: VertexConfig): HttpProvider {
  const base = trimBase(config.base_url ?? vertexDefaultBaseUrl(config.location));
  const tokens = tokenSource(config);

  async function post(model: string, method: string, body: unknown, accept: string, publisher = publisherOf(model)): Promise<UpstreamRequest> {
    const token = await tokens.token();
    return {
      method: 'POST',
      url: `${base}${modelResource(config.project, config.location, model, publisher)}:${method}`,
      headers: { ...jsonHeaders(config, { authorization: `Bearer ${token}` }), accept },
      body: JSON.stringify(body),
    };
  }

  return {
    kind: 'http',
    type: 'vertex',
    nativeFormat: null,
    chatRequest(req, model) {
      if (publisherOf(model) === 'anthropic') {
        const body = buildVertexMessagesBody(req, model);
        return req.stream ? post(model, 'streamRawPredict', body, 'text/event-stream') : post(model, 'rawPredict', body, 'application/json');
      }
      const body = buildGeminiRequest(req, model);
      return req.stream
        ? post(model, 'streamGenerateContent?alt=sse', body, 'text/event-stream')
        : post(model, 'generateContent', body, 'application/json');
    },
    // Claude counts at the publisher's `count-tokens` model (the model named in the body), Gemini at the model's :countTokens.
    countTokensRequest: ({ body, request }, model) =>
      publisherOf(model) === 'anthropic'
        ? post('count-tokens', 'rawPredict', countTokensBody(body, model), 'application/json', 'anthropic')
        : post(model, 'countTokens', buildGeminiCountBody(request, model), 'application/json'),
    parseTokenCount: (body, model) => (publisherOf(model) === 'anthropic' ? parseTokenCount(body) : parseGeminiTokenCount(body)),
    parseChatResponse: (body, model) =>
      publisherOf(model) === 'anthropic' ? structuredResponse(parseMessage(body, model)) : parseGeminiResponse(body, model),
    createStreamParser: (model) =>
      publisherOf(model) === 'anthropic' ? new StructuredStreamParser(new AnthropicStreamParser(model)) : new GeminiStreamParser(model),
    parseError: (status, body): UpstreamErrorInfo => parseUpstreamError(status, unwrapList(body)),
  };
}

function tokenSource(config: VertexConfig): AccessTokenSource {
  if (config.api_key) return new StaticToken(config.api_key);
  const account = readServiceAccount(config.credentials_file!);
  return new ServiceAccountTokenSource(account, config.token_url ?? account.token_uri ?? GOOGLE_TOKEN_URL);
}

/** Vertex answers some errors as a one-element JSON list (`[{"error": {...}}]`). */
function unwrapList(body: string): string {
  if (!body.trimStart().startsWith('[')) return body;
  try {
    const list: unknown = JSON.parse(body);
    return Array.isArray(list) && list.length > 0 ? JSON.stringify(list[0]) : body;
  } catch {
    return body;
  }
}
