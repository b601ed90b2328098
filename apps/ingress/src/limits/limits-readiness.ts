import { dependencyDown, type ReadinessResult } from '@gatehouse/runtime';
import type { Limiter } from '@gatehouse/spend';

/**
 * The limiter's part of /readyz. Counters unreachable (Redis, or the standalone primary): with
 * fail_open the replica still serves (ready, degraded: limits are not enforced); with fail_closed it
 * answers 503 and is not ready.
 */
export function limitsReadiness(limiter: Limiter): ReadinessResult {
  if (limiter.connected()) return { ok: true, detail: { counters: 'connected', on_redis_error: limiter.onError } };
  return dependencyDown(limiter.onError, { counters: 'unavailable' });
}
