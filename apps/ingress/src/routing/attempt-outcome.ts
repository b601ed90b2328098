import type { ModelConfig } from '@gatehouse/config';
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

/** Failures that say the target is unhealthy (count against its breaker); a 4xx about the request itself does not. */
export const isTargetFault = (status: number): boolean => status === 0 || status === 408 || status === 429 || status >= 500;

export function parseRetryAfter(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/**
 * The wait before retry number `retry` (0-based) on the same target: the upstream's Retry-After when
 * it sent one, else exponential backoff (backoff_ms · 2^retry, capped at max_wait_ms) with jitter over
 * its upper half. null: the Retry-After is longer than max_wait_ms, so move on to the next target.
 */
export function retryDelay(failure: AttemptFailure, retry: number, cfg: ModelConfig['retry'], random: () => number): number | null {
  if (failure.retryAfterMs !== null) return failure.retryAfterMs > cfg.max_wait_ms ? null : failure.retryAfterMs;
  const ceiling = Math.min(cfg.backoff_ms * 2 ** retry, cfg.max_wait_ms);
  return ceiling / 2 + random() * (ceiling / 2);
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

/** An upstream 4xx caused by the request itself goes back to the client with the provider's message (same mapping for every endpoint). */
export function upstreamClientError(f: AttemptFailure): GatewayError {
  const type = f.status === 413 ? 'request_too_large' : 'invalid_request_error';
  return new GatewayError(f.status, type, f.message, { code: 'upstream_rejected' });
}
