import type { HttpProvider, UpstreamRequest } from '../provider';
import type { AnthropicConfig } from './anthropic.config';
import { jsonHeaders, trimBase } from '../shared/http';
import { parseUpstreamError } from '../shared/upstream-error';
import { StructuredStreamParser, structuredResponse } from '../shared/structured-tool';
import { buildMessagesBody, countTokensBody, parseTokenCount, passthroughBody } from './request';
import { parseMessage } from './response';
import { AnthropicStreamParser } from './stream';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';

/** api.anthropic.com Messages API (or a proxy via base_url), x-api-key + anthropic-version. No embeddings. */
export function createAnthropicProvider(config: AnthropicConfig): HttpProvider {
  const base = trimBase(config.base_url ?? ANTHROPIC_DEFAULT_BASE_URL);
  const headers = jsonHeaders(config, {
    'anthropic-version': ANTHROPIC_VERSION,
    ...(config.api_key ? { 'x-api-key': config.api_key } : {}),
  });
  const url = `${base}/v1/messages`;
  const post = (body: unknown, to = url): UpstreamRequest => ({ method: 'POST', url: to, headers: { ...headers }, body: JSON.stringify(body) });
  const countUrl = `${base}/v1/messages/count_tokens`;

  return {
    kind: 'http',
    type: 'anthropic',
    nativeFormat: 'anthropic',
    chatRequest: (req, model) => post(buildMessagesBody(req, model)),
    passthroughRequest: (body, model, clientHeaders) => {
      const up = post(passthroughBody(body, model));
      if (clientHeaders) Object.assign(up.headers, clientHeaders);
      return up;
    },
    countTokensRequest: ({ body }, model) => post(countTokensBody(body, model), countUrl),
    parseTokenCount: (body) => parseTokenCount(body),
    parseChatResponse: (body, model) => structuredResponse(parseMessage(body, model)),
    createStreamParser: (model) => new StructuredStreamParser(new AnthropicStreamParser(model)),
    parseError: parseUpstreamError,
  };
}
