import { jsonHeaders, trimBase } from '../shared/http';
import type { GeminiConfig } from './gemini.config';
import { parseUpstreamError } from '../shared/upstream-error';
import type { HttpProvider, UpstreamErrorInfo, UpstreamRequest } from '../provider';
import { buildGeminiCountBody, buildGeminiEmbeddingsRequest, buildGeminiRequest, modelPath, parseGeminiTokenCount } from './request';
import { parseGeminiEmbeddingsResponse, parseGeminiResponse } from './response';
import { GeminiStreamParser } from './stream';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';

/**
 * Google AI Studio (Generative Language API v1beta). The key travels only in the
 * `x-goog-api-key` header, never in the URL, so it cannot leak into access logs or traces.
 */
export function createGeminiProvider(config: GeminiConfig): HttpProvider {
  const base = trimBase(config.base_url ?? GEMINI_DEFAULT_BASE_URL);
  const auth: Record<string, string> = config.api_key ? { 'x-goog-api-key': config.api_key } : {};
  const post = (path: string, body: unknown, accept = 'application/json'): UpstreamRequest => ({
    method: 'POST',
    url: `${base}/v1beta/${path}`,
    headers: { ...jsonHeaders(config, auth), accept },
    body: JSON.stringify(body),
  });
  const scrub = (info: UpstreamErrorInfo): UpstreamErrorInfo =>
    config.api_key ? { ...info, message: info.message.split(config.api_key).join('***') } : info;

  return {
    kind: 'http',
    type: 'gemini',
    nativeFormat: null,
    chatRequest(req, upstreamModel) {
      const body = buildGeminiRequest(req, upstreamModel);
      const model = modelPath(upstreamModel);
      return req.stream
        ? post(`${model}:streamGenerateContent?alt=sse`, body, 'text/event-stream')
        : post(`${model}:generateContent`, body);
    },
    countTokensRequest: ({ request }, upstreamModel) => post(`${modelPath(upstreamModel)}:countTokens`, {
      generateContentRequest: { model: modelPath(upstreamModel), ...buildGeminiCountBody(request, upstreamModel) },
    }),
    parseTokenCount: (body) => parseGeminiTokenCount(body),
    parseChatResponse: (body, upstreamModel) => parseGeminiResponse(body, upstreamModel),
    createStreamParser: (upstreamModel) => new GeminiStreamParser(upstreamModel),
    embeddingsRequest: (req, upstreamModel) =>
      post(`${modelPath(upstreamModel)}:batchEmbedContents`, buildGeminiEmbeddingsRequest(req, upstreamModel)),
    parseEmbeddingsResponse: (body, upstreamModel) => parseGeminiEmbeddingsResponse(body, upstreamModel),
    parseError: (status, body) => scrub(parseUpstreamError(status, body)),
  };
}
