import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatewayError, own } from '@gatehouse/contracts';
import type { CanonicalRequest } from '@gatehouse/formats';
import type { Logger } from '@gatehouse/observability';
import { nativeFormatOf } from '@gatehouse/providers';
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
import type { LiveRoutes } from '../routing/route-table';
import { sendError } from './error-response';

/** POST /v1/chat/completions, /v1/messages and /v1/responses: the same pipeline, in the caller's dialect. */
export class ChatHandler {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly keys: KeyDirectory,
    private readonly routes: LiveRoutes,
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

  /**
   * Native pass-through: a body the canonical model cannot carry (documents, server tools,
   * citations, unknown fields) is still served when every target of its model speaks the client's
   * dialect, sent to them unchanged; the gateway reads what it can of it (`nativeOnly` then holds
   * the 400 a translation would get). When some target would need a translation, that 400 stands.
   * Such a request is not cached, and is refused with that same 400 when an input guardrail
   * rewrote it or an output guardrail would have to rewrite its stream.
   */
  private decode(codec: ClientCodec, body: unknown): { request: CanonicalRequest; includeUsage: boolean; nativeOnly: GatewayError | null } {
    try {
      return { ...codec.decode(body), nativeOnly: null };
    } catch (e) {
      const modelName = (body as { model?: unknown } | null)?.model;
      const routes = this.routes.current;
      const model = typeof modelName === 'string' ? own(routes.models, modelName) : undefined;
      if (!codec.native || !(e instanceof GatewayError) || e.status !== 400 || !model) throw e;
      const types = codec.native.providerTypes;
      const speaks = (t: (typeof model.targets)[number]): boolean => {
        if (!('provider' in t)) return false;
        const provider = routes.providers.get(t.provider)?.provider;
        return !!provider && types.includes(provider.type) && nativeFormatOf(provider, t.model) === codec.format;
      };
      if (!model.targets.every(speaks)) throw e;
      return { ...codec.native.decode(body), nativeOnly: e };
    }
  }

  private async run(req: IncomingMessage, res: ServerResponse, codec: ClientCodec, ctx: RequestContext, gone: AbortFlag): Promise<void> {
    const key = authenticate(this.keys, presentedKey(req.headers));
    ctx.key = key;
    const raw = await readBody(req, this.config.limits.max_body_bytes);
    const body = parseJsonBody(raw);
    const { request, includeUsage, nativeOnly } = this.decode(codec, body);
    ctx.modelRequested = request.model;
    ctx.stream = request.stream;
    ctx.metadata = parseMetadataHeader(req);
    authorizeModel(key, request.model);
    const routes = this.routes.current;
    const model = configuredModel(routes.models, request.model);
    const cache = nativeOnly ? null : this.cache.plan(req, key, request, codec.format, includeUsage);
    // The limiter's call goes first: with Redis it waits for the end of this event-loop turn, and the
    // cache lookup of the request as sent joins its socket write; both travel while the limits are
    // checked (a second look only when a guardrail rewrote the request).
    const admitted = admitRequest(this.limiter, ctx, key, request);
    if (cache) this.cache.ask(cache);
    if (admitted) await admitted;
    if (key.log_bodies) ctx.requestBody = raw.toString('utf8');
    const guarded = await this.guard.apply(ctx, request);
    const output = this.outputGuard.session(ctx);
    // An OpenAI stream passes through only with include_usage (the gateway needs the usage); else it is translated.
    const translatedStream = request.stream && codec.format === 'openai' && !includeUsage;
    if (nativeOnly && (guarded.changed || (output && request.stream) || translatedStream)) throw nativeOnly;
    if (!nativeOnly) this.cache.guarded(ctx, cache, guarded.changed, key.team, codec.format, includeUsage, request);
    if (cache) {
      const hit = await this.cache.lookup(cache);
      if (hit) return this.cache.replay(ctx, res, hit, key.log_bodies);
      ctx.cachePlan = cache;
    }
    await this.executor.run({
      ctx,
      codec,
      request,
      passthroughBody: nativeOnly || !(guarded.changed || output) ? (body as Record<string, unknown>) : null,
      passthroughHeaders: codec.passthroughHeaders?.(req) ?? null,
      includeUsage,
      model,
      routes,
      res,
      clientGone: gone,
      keepText: key.log_bodies,
      output,
      capture: cache?.capture ?? null,
    });
  }
}
