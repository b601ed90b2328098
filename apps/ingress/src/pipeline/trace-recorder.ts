import type { Bus } from '@gatehouse/bus';
import { TracesTopic, type Trace } from '@gatehouse/contracts';
import { ZERO_USAGE } from '@gatehouse/formats';
import { computeCost, type PriceBook } from '@gatehouse/pricing';
import { credentialMask, counter, histogram } from '@gatehouse/observability';
import type { RequestSpans } from '@gatehouse/telemetry';
import type { RequestContext } from './request-context';

const requests = counter('gatehouse_requests_total', 'Requests answered by the ingress', ['endpoint', 'status']);
const latency = histogram('gatehouse_request_duration_seconds', 'Request latency as seen by the gateway', ['endpoint'], [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);

type CounterChild = ReturnType<typeof requests.labels>;
type HistogramChild = ReturnType<typeof latency.labels>;

/** Builds the trace of a finished request and publishes it; called after the response was written. */
export class TraceRecorder {
  /** prom-client hashes the label values on every labels() call; the children are few (endpoint × status), so they are kept. */
  private readonly requestCounters = new Map<string, CounterChild>();
  private readonly latencyHistograms = new Map<string, HistogramChild>();

  constructor(
    private readonly bus: Bus,
    private readonly prices: PriceBook,
    /** OpenTelemetry export of each request as a span (null: off). */
    private readonly spans: RequestSpans | null = null,
  ) {}

  record(ctx: RequestContext): Trace {
    const latencyMs = Math.round(ctx.elapsedMs() * 1000) / 1000;
    const counterKey = `${ctx.endpoint} ${ctx.status}`;
    let count = this.requestCounters.get(counterKey);
    if (!count) this.requestCounters.set(counterKey, (count = requests.labels(ctx.endpoint, String(ctx.status))));
    count.inc();
    let seconds = this.latencyHistograms.get(ctx.endpoint);
    if (!seconds) this.latencyHistograms.set(ctx.endpoint, (seconds = latency.labels(ctx.endpoint)));
    seconds.observe(latencyMs / 1000);
    const trace = this.build(ctx, latencyMs);
    this.bus.publish(TracesTopic, ctx.requestId, trace);
    if (this.spans) this.spans.record(trace, { providerType: ctx.providerType, parentSampled: ctx.trace.sampled });
    return trace;
  }

  /**
   * What a request that ended early is charged against its budget: its trace's cost, or the price of
   * the tokens it is charged (reported usage, else the output passed on) when that is more; a cut
   * stream without its usage chunk has no trace cost but was billed by the provider.
   */
  costOfIncomplete(ctx: RequestContext, tokens: { input: number; output: number }, traced: number | null): number | null {
    if (!ctx.providerType || !ctx.modelUpstream || tokens.input + tokens.output === 0) return traced;
    const priced = computeCost({ ...ZERO_USAGE, input_tokens: tokens.input, output_tokens: tokens.output }, this.prices.lookup(ctx.providerType, ctx.modelUpstream)).cost_usd;
    return priced === null ? traced : Math.max(traced ?? 0, priced);
  }

  build(ctx: RequestContext, latencyMs: number): Trace {
    const usage = ctx.usage ?? ZERO_USAGE;
    let cost: Pick<Trace, 'cost_usd' | 'cost' | 'pricing_unknown'>;
    if (ctx.usage && ctx.providerType && ctx.modelUpstream) {
      cost = computeCost(ctx.usage, this.prices.lookup(ctx.providerType, ctx.modelUpstream));
    } else {
      cost = { cost_usd: ctx.status < 400 && ctx.attempts.length > 0 ? null : 0, cost: null, pricing_unknown: false };
    }
    const logBodies = ctx.key?.log_bodies ?? false;
    const mask = credentialMask();
    const failed = ctx.status >= 400;
    return {
      request_id: ctx.requestId,
      trace_id: ctx.trace.traceId,
      span_id: ctx.trace.spanId,
      parent_span_id: ctx.trace.parentSpanId,
      ts_start: ctx.tsStart,
      ts_end: ctx.tsStart + Math.round(latencyMs),
      latency_ms: latencyMs,
      ttft_ms: ctx.ttftMs,
      status: ctx.status,
      error_type: mask.maskNullable(ctx.errorType),
      client_format: ctx.format,
      endpoint: ctx.endpoint,
      model_requested: ctx.modelRequested,
      provider: ctx.provider,
      model_upstream: ctx.modelUpstream,
      attempts: ctx.attempts.length,
      attempt_details: ctx.attempts.map((a) => (a.error_type === null ? a : { ...a, error_type: mask.mask(a.error_type) })),
      key_id: ctx.key?.id ?? null,
      key_name: ctx.key?.name ?? null,
      team: ctx.key?.team ?? null,
      metadata: ctx.metadata,
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cached_tokens: usage.cache_read_tokens,
      cache_write_tokens: usage.cache_write_tokens,
      reasoning_tokens: usage.reasoning_tokens,
      cost_usd: cost.cost_usd,
      cost: cost.cost,
      pricing_unknown: cost.pricing_unknown,
      cache_hit: ctx.cacheStatus === 'HIT',
      cache_status: ctx.cacheStatus,
      cost_saved_usd: ctx.costSavedUsd,
      stream: ctx.stream,
      guardrails: ctx.guardrails,
      request_body: logBodies ? maskBody(ctx, ctx.requestBody) : null,
      response_body: logBodies ? maskBody(ctx, failed ? mask.maskNullable(ctx.responseText) : ctx.responseText) : null,
    };
  }
}

/** A stored body with the credentials a secrets check matched masked (whatever the check's action). */
function maskBody(ctx: RequestContext, body: string | null): string | null {
  return ctx.secrets ? ctx.secrets.maskNullable(body) : body;
}
