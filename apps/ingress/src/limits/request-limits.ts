import type { CanonicalRequest } from '@gatehouse/formats';
import type { KeyRecord, Trace } from '@gatehouse/contracts';
import { type Limiter, estimateTokens } from '@gatehouse/spend';
import type { RequestContext } from '../pipeline/request-context';
import type { TraceRecorder } from '../pipeline/trace-recorder';

/** Checks and reserves the key's and team's limits; throws the 429 (or 503, fail_closed). Costs nothing for unlimited keys. */
export async function admitRequest(limiter: Limiter, ctx: RequestContext, key: KeyRecord, request: CanonicalRequest | null): Promise<void> {
  const pending = limiter.admit(ctx.requestId, key, () => (request ? estimateTokens(request) : 0));
  if (pending === null) return;
  ctx.admission = await pending;
}

/** After the response: publish the trace, then settle the reservation with the trace's usage and exact cost (not awaited). */
export function recordAndSettle(recorder: TraceRecorder, limiter: Limiter, ctx: RequestContext): Trace {
  const trace = recorder.record(ctx);
  if (ctx.admission) limiter.settle(ctx.admission, ctx.usage ? ctx.usage.input_tokens + ctx.usage.output_tokens : null, ctx.status >= 400, trace.cost_usd);
  return trace;
}
