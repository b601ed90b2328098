import type { CanonicalRequest } from '@gatehouse/formats';
import type { KeyRecord, Trace } from '@gatehouse/contracts';
import { type Limiter, type RequestOutcome, estimateTokens, NO_TOKENS, tokensOfIncomplete } from '@gatehouse/spend';
import type { RequestContext } from '../pipeline/request-context';
import type { TraceRecorder } from '../pipeline/trace-recorder';

/**
 * Checks and reserves the key's and team's limits; the 429 (or 503, fail_closed) is the promise's
 * rejection. Undefined when nothing is left to wait for: unlimited keys, and admissions from this
 * replica's quota lease (no await on the request path for either).
 */
export function admitRequest(limiter: Limiter, ctx: RequestContext, key: KeyRecord, request: CanonicalRequest | null): Promise<void> | undefined {
  const admitted = limiter.admit(ctx.requestId, key, () => (request ? estimateTokens(request) : NO_TOKENS));
  if (admitted === null) return undefined;
  if (!(admitted instanceof Promise)) {
    ctx.admission = admitted;
    return undefined;
  }
  return admitted.then((a) => {
    ctx.admission = a;
  });
}

/**
 * After the response: publish the trace, then settle the reservation with the tokens used and the
 * exact cost (not awaited). A response that failed, was cut or lost its client is incomplete: it is
 * charged its reported usage and at least the output it passed on (tokensUsed), against tpm and,
 * priced, against its budgets.
 */
export function recordAndSettle(recorder: TraceRecorder, limiter: Limiter, ctx: RequestContext): Trace {
  const trace = recorder.record(ctx);
  const a = ctx.admission;
  if (a) {
    const outcome: RequestOutcome = { usage: ctx.usage, complete: ctx.status < 400 && ctx.errorType === null, outputChars: ctx.outputChars };
    limiter.settle(a, outcome, outcome.complete ? trace.cost_usd : recorder.costOfIncomplete(ctx, tokensOfIncomplete(outcome, a.estimate), trace.cost_usd));
  }
  return trace;
}
