import type { ReadinessResult } from '@gatehouse/runtime';
import type { Limiter } from '@gatehouse/spend';

/**
 * The limiter's part of /readyz. Counters unreachable: with fail_open the replica still serves
 * (ready, marked degraded: limits are not enforced); with fail_closed it answers 503 (not ready).
 */
export function limitsReadiness(limiter: Limiter): ReadinessResult {
  if (limiter.connected()) return { ok: true, detail: { counters: 'connected', on_redis_error: limiter.onError } };
  return {
    ok: limiter.onError === 'fail_open',
    detail: { counters: 'unavailable', degraded: true, on_redis_error: limiter.onError },
  };
}
