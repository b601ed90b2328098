import { GatewayError, type Attempt } from '@gatehouse/contracts';

/** Why an attempt failed, and what the router should do next. */
export interface AttemptFailure {
  status: number;
  errorType: string;
  message: string;
  /** retry: same target again (if attempts remain), then the next; next: skip to the next target; final: answer the client now. */
  next: 'retry' | 'next' | 'final';
  retryAfterMs: number | null;
}

/** Upstream statuses that are the client's fault end the request; provider-side ones move on. */
export function classifyUpstreamStatus(status: number, retryOn: readonly number[]): AttemptFailure['next'] {
  if (retryOn.includes(status)) return 'retry';
  if (status === 401 || status === 403 || status === 404 || status === 408 || status >= 500) return 'next';
  return 'final';
}

export function parseRetryAfter(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/** Every target failed: 504 when the last failure was a timeout, 503 when all were rate-limited/unavailable, else 502. */
export function allTargetsFailed(attempts: Attempt[], failures: AttemptFailure[]): GatewayError {
  const last = failures[failures.length - 1];
  const allBusy = failures.length > 0 && failures.every((f) => f.status === 429 || f.status === 503);
  const status = last?.errorType === 'timeout' ? 504 : allBusy ? 503 : 502;
  const type = status === 504 ? 'timeout_error' : status === 503 ? 'overloaded_error' : 'upstream_error';
  const summary = attempts.map((a) => `${a.provider}/${a.model}: ${a.status || a.error_type}`).join('; ');
  return new GatewayError(status, type, `all ${attempts.length} upstream attempts failed (${summary}); last error: ${last?.message ?? 'unknown'}`, {
    code: 'upstream_failed',
    details: { attempts },
  });
}
