import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatehouseConfig } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import { authenticate, authorizeModel, presentedKey, type KeyDirectory } from '@gatehouse/keys';
import { AbortFlag } from '../pipeline/abort-flag';
import type { ChatCache } from '../pipeline/chat-cache';
import type { ChatExecutor } from '../pipeline/chat-executor';
import type { ClientCodec } from '../pipeline/client-codec';
import { parseJsonBody, readBody } from '../pipeline/read-body';
import { RequestContext } from '../pipeline/request-context';
import { parseMetadataHeader } from '../pipeline/request-tags';
import type { TraceRecorder } from '../pipeline/trace-recorder';
import type { InputGuard } from '../pipeline/input-guard';
import type { OutputGuard } from '../pipeline/output-guard';
import type { Limiter } from '@gatehouse/spend';
import { admitRequest, recordAndSettle } from '../limits/request-limits';
import { configuredModel } from './configured-model';
import { sendError } from './error-response';

/** POST /v1/chat/completions, /v1/messages and /v1/responses: the same pipeline, in the caller's dialect. */
export class ChatHandler {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly keys: KeyDirectory,
    private readonly executor: ChatExecutor,
    private readonly recorder: TraceRecorder,
    private readonly guard: InputGuard,
    private readonly outputGuard: OutputGuard,
    private readonly cache: ChatCache,
    private readonly log: Logger,
    private readonly limiter: Limiter,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse, codec: ClientCodec): void {
    const ctx = new RequestContext(codec.format, codec.endpoint, req);
    const gone = new AbortFlag();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    this.run(req, res, codec, ctx, gone)
      .catch((e) => sendError(res, codec, ctx, e, this.log))
      .finally(() => {
        if (gone.aborted && ctx.status < 400) {
          ctx.status = 499;
          ctx.errorType = ctx.errorType ?? 'client_closed';
        }
        setImmediate(() => {
          const trace = recordAndSettle(this.recorder, this.limiter, ctx);
          if (ctx.cachePlan) this.cache.storeAfter(ctx, ctx.cachePlan, trace.cost_usd, gone.aborted);
        });
      });
  }

  private async run(req: IncomingMessage, res: ServerResponse, codec: ClientCodec, ctx: RequestContext, gone: AbortFlag): Promise<void> {
    const key = authenticate(this.keys, presentedKey(req.headers));
    ctx.key = key;
    const raw = await readBody(req, this.config.limits.max_body_bytes);
    const body = parseJsonBody(raw);
    const { request, includeUsage } = codec.decode(body);
    ctx.modelRequested = request.model;
    ctx.stream = request.stream;
    ctx.metadata = parseMetadataHeader(req);
    authorizeModel(key, request.model);
    const model = configuredModel(this.config, request.model);
    await admitRequest(this.limiter, ctx, key, request);
    if (key.log_bodies) ctx.requestBody = raw.toString('utf8');
    const guarded = await this.guard.apply(ctx, request);
    const cache = this.cache.plan(ctx, req, key, request, codec.format, includeUsage);
    if (cache) {
      const hit = await this.cache.lookup(cache);
      if (hit) return this.cache.replay(ctx, res, hit, key.log_bodies);
      ctx.cachePlan = cache;
    }
    const output = this.outputGuard.session(ctx);
    await this.executor.run({
      ctx,
      codec,
      request,
      passthroughBody: guarded.changed || output ? null : (body as Record<string, unknown>),
      includeUsage,
      model,
      res,
      clientGone: gone,
      keepText: key.log_bodies,
      output,
      capture: cache?.capture ?? null,
    });
  }
}
