import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatehouseConfig } from '@gatehouse/config';
import { decodeOpenAIEmbeddings, encodeOpenAIEmbeddings } from '@gatehouse/formats';
import type { Logger } from '@gatehouse/observability';
import { authenticate, authorizeModel, presentedKey, type KeyDirectory } from '@gatehouse/keys';
import type { EmbeddingsExecutor } from '../pipeline/embeddings-executor';
import type { LiveRoutes } from '../routing/route-table';
import { configuredModel } from './configured-model';
import { openaiCodec } from '../pipeline/client-codec';
import { parseJsonBody, readBody } from '../pipeline/read-body';
import { RequestContext } from '../pipeline/request-context';
import { parseMetadataHeader } from '../pipeline/request-tags';
import { gatewayHeaders } from '../pipeline/response-headers';
import type { TraceRecorder } from '../pipeline/trace-recorder';
import type { Limiter } from '@gatehouse/spend';
import { admitRequest, recordAndSettle } from '../limits/request-limits';
import { sendError } from './error-response';

/** POST /v1/embeddings (OpenAI format). */
export class EmbeddingsHandler {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly keys: KeyDirectory,
    private readonly routes: LiveRoutes,
    private readonly executor: EmbeddingsExecutor,
    private readonly recorder: TraceRecorder,
    private readonly log: Logger,
    private readonly limiter: Limiter,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const ctx = new RequestContext('openai', 'embeddings', req);
    this.run(req, res, ctx)
      .catch((e) => sendError(res, openaiCodec, ctx, e, this.log))
      .finally(() => setImmediate(() => recordAndSettle(this.recorder, this.limiter, ctx)));
  }

  private async run(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const key = authenticate(this.keys, presentedKey(req.headers));
    ctx.key = key;
    const raw = await readBody(req, this.config.limits.max_body_bytes);
    const { request } = decodeOpenAIEmbeddings(parseJsonBody(raw));
    ctx.modelRequested = request.model;
    ctx.metadata = parseMetadataHeader(req);
    authorizeModel(key, request.model);
    const routes = this.routes.current;
    const model = configuredModel(routes.models, request.model);
    await admitRequest(this.limiter, ctx, key, null);
    const out = await this.executor.run({ ctx, model, routes, clientGone: null, request, result: null });
    if (!out) return;
    ctx.usage = { input_tokens: out.usage.input_tokens, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
    res.writeHead(200, gatewayHeaders(ctx, 'application/json'));
    res.end(JSON.stringify(encodeOpenAIEmbeddings(out, { model: request.model, encoding_format: request.encoding_format ?? 'float' })));
  }
}
