import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatehouseConfig } from '@gatehouse/config';
import { type KeyRecord, type ClientFormat, invalidRequest } from '@gatehouse/contracts';
import type { CanonicalRequest } from '@gatehouse/formats';
import { cacheKey, cacheMetrics, DecodedEntries, encodeCachedResponse, entryBytes, type ReplayableResponse, type ResponseCache, ResponseCapture } from '@gatehouse/cache';
import type { CachePlan } from './cache-plan';
import type { RequestContext } from './request-context';
import { gatewayHeaders, SSE_HEADERS } from './response-headers';

const HEADER = 'x-gatehouse-cache';
/** Hot entries kept decoded (DecodedEntries): at most this many, of at most this many bytes in all. */
const DECODED_ENTRIES = 1024;
const DECODED_MAX_BYTES = 4 << 20;

/** The response cache step of the chat pipeline: decide, look up, replay a hit, store a complete success after the response. */
export class ChatCache {
  private readonly decoded = new DecodedEntries(DECODED_ENTRIES, DECODED_MAX_BYTES);

  constructor(
    private readonly store: ResponseCache,
    private readonly config: GatehouseConfig['cache'],
  ) {}

  /**
   * `x-gatehouse-cache: false` → BYPASS (null); `true` → the key's ttl_s or cache.default_ttl_s; no header →
   * the key's `cache` opt-in, else BYPASS (a bad header is a 400, before the limits reserve anything).
   * Then `ask` sends the lookup of the request as sent, so it travels while the limits and the input
   * guardrails run; call `guarded` after the input guardrails.
   */
  plan(req: IncomingMessage, key: KeyRecord, request: CanonicalRequest, format: ClientFormat, includeUsage: boolean): CachePlan | null {
    const ttlS = this.ttlFor(req.headers[HEADER], key);
    if (ttlS === null) return null;
    return {
      key: cacheKey({ team: key.team, format, includeUsage, request }),
      ttlS,
      capture: new ResponseCapture(this.config.max_entry_bytes),
      guardrailMark: 0,
      pending: null,
    };
  }

  /** Asks the store for the planned entry now (the answer is read by `lookup`). */
  ask(plan: CachePlan): void {
    plan.pending = this.store.get(plan.key).catch(() => null);
  }

  /**
   * After the input guardrails: the request's cache status (MISS until a hit is replayed, BYPASS without
   * a plan); the key hashes the request they let through (a rewritten request is looked up again under
   * its new key), and their redactions are the mark the output is compared to.
   */
  guarded(ctx: RequestContext, plan: CachePlan | null, changed: boolean, team: string, format: ClientFormat, includeUsage: boolean, request: CanonicalRequest): void {
    if (!plan) {
      ctx.cacheStatus = 'BYPASS';
      cacheMetrics.bypass.inc();
      return;
    }
    ctx.cacheStatus = 'MISS';
    plan.guardrailMark = ctx.guardrails.redacted + ctx.guardrails.denied;
    if (!changed) return;
    plan.key = cacheKey({ team, format, includeUsage, request });
    plan.pending = null;
  }

  async lookup(plan: CachePlan): Promise<ReplayableResponse | null> {
    const entry = await (plan.pending ?? this.store.get(plan.key));
    const hit = entry === null ? null : this.decoded.decode(plan.key, entry);
    (hit ? cacheMetrics.hit : cacheMetrics.miss).inc();
    return hit;
  }

  /** Answers with the stored bytes; the trace gets cost 0 and the original cost as cost_saved_usd. */
  replay(ctx: RequestContext, res: ServerResponse, hit: ReplayableResponse, keepText: boolean): void {
    const { meta, body } = hit;
    ctx.cacheStatus = 'HIT';
    ctx.costSavedUsd = meta.cost_usd ?? 0;
    ctx.provider = meta.provider;
    ctx.modelUpstream = meta.model_upstream;
    ctx.markFirstToken();
    if (keepText) ctx.responseText = meta.stream ? meta.text : body;
    const headers = meta.stream
      ? { ...gatewayHeaders(ctx, 'text/event-stream; charset=utf-8'), ...SSE_HEADERS }
      : gatewayHeaders(ctx, 'application/json');
    headers['content-length'] = hit.contentLength;
    res.writeHead(200, headers);
    res.end(body);
  }

  /**
   * After the response was sent (off the request path): stores a complete 200 answer that no error,
   * client abort or output guardrail touched; an answer over cache.max_entry_bytes is counted, not stored.
   */
  storeAfter(ctx: RequestContext, plan: CachePlan, costUsd: number | null, clientGone: boolean): void {
    const { capture } = plan;
    if (!capture.completed || clientGone || ctx.status !== 200 || ctx.errorType !== null) return;
    if (ctx.guardrails.redacted + ctx.guardrails.denied !== plan.guardrailMark) return;
    if (capture.oversize) return void cacheMetrics.tooLarge.inc();
    const entry = encodeCachedResponse(
      {
        stream: ctx.stream,
        provider: ctx.provider,
        model_upstream: ctx.modelUpstream,
        cost_usd: costUsd,
        text: ctx.stream ? ctx.responseText : null,
        expires_at: Date.now() + plan.ttlS * 1000,
      },
      capture.body(),
    );
    if (entryBytes(entry) > this.config.max_entry_bytes) return void cacheMetrics.tooLarge.inc();
    this.store.set(plan.key, entry, plan.ttlS);
  }

  private ttlFor(header: string | string[] | undefined, key: KeyRecord): number | null {
    if (header === undefined) return key.cache?.ttl_s ?? null;
    const v = (Array.isArray(header) ? header.join(',') : header).trim().toLowerCase();
    if (v === 'false') return null;
    if (v === 'true') return key.cache?.ttl_s ?? this.config.default_ttl_s;
    throw invalidRequest(`${HEADER}: must be "true" or "false"`, HEADER);
  }
}
