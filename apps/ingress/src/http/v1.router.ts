import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/observability';
import type { HotPath } from '@gatehouse/runtime';
import { anthropicCodec, openaiCodec, openaiResponsesCodec } from '../pipeline/client-codec';
import { RequestContext } from '../pipeline/request-context';
import type { ChatHandler } from './chat.handler';
import type { CountTokensHandler } from './count-tokens.handler';
import type { EmbeddingsHandler } from './embeddings.handler';
import type { ModelsHandler } from './models.handler';
import { sendError } from './error-response';

/** Dispatches /v1/* on the plain node:http handler (see libs/runtime/src/serve.ts). */
export class V1Router implements HotPath {
  constructor(
    private readonly chat: ChatHandler,
    private readonly embeddings: EmbeddingsHandler,
    private readonly models: ModelsHandler,
    private readonly countTokens: CountTokensHandler,
    private readonly log: Logger,
  ) {}

  matches(url: string): boolean {
    return url.startsWith('/v1/');
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (path === '/v1/chat/completions' && method === 'POST') return this.chat.handle(req, res, openaiCodec);
    if (path === '/v1/messages' && method === 'POST') return this.chat.handle(req, res, anthropicCodec);
    if (path === '/v1/messages/count_tokens' && method === 'POST') return this.countTokens.handle(req, res);
    if (path === '/v1/responses' && method === 'POST') return this.chat.handle(req, res, openaiResponsesCodec);
    if (path === '/v1/embeddings' && method === 'POST') return this.embeddings.handle(req, res);
    if (path === '/v1/models' && method === 'GET') return this.models.handle(req, res, req.headers['anthropic-version'] ? anthropicCodec : openaiCodec);
    if (path.startsWith('/v1/models/') && method === 'GET' && path.length > 11) {
      return this.models.handle(req, res, req.headers['anthropic-version'] ? anthropicCodec : openaiCodec, modelId(path.slice(11)));
    }
    const codec = path.startsWith('/v1/messages') ? anthropicCodec : openaiCodec;
    const known = ['/v1/chat/completions', '/v1/messages', '/v1/messages/count_tokens', '/v1/responses', '/v1/embeddings', '/v1/models'].includes(path);
    const err = known
      ? new GatewayError(405, 'invalid_request_error', `method ${method} is not allowed on ${path}`)
      : new GatewayError(404, 'not_found_error', `no such endpoint: ${method} ${path}`);
    req.resume();
    sendError(res, codec, new RequestContext(codec.format, 'chat', req), err, this.log);
  }
}

/** The {id} of /v1/models/{id}, percent-decoded (model names may contain '/'); undecodable text stays as sent. */
function modelId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
