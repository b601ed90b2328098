import { dependencyDown, type ReadinessResult, type RedisErrorPolicy } from '@gatehouse/runtime';
import type { JobQueue } from './job-queue.port';

/**
 * The job queue's part of /readyz. Its Redis is the one the limit counters use (REDIS_URL), so an
 * outage follows limits.on_redis_error like the `limits` check: fail_open keeps the process ready
 * (degraded: the ingress holds async guardrail checks meanwhile, gatehouse_guardrails_deferred_pending,
 * and hands them over when Redis is back), fail_closed takes it out of readiness.
 */
export async function jobsReadiness(queue: JobQueue, policy: RedisErrorPolicy): Promise<ReadinessResult> {
  if (await queue.healthy()) return { ok: true, detail: { queue: queue.kind } };
  return dependencyDown(policy, { queue: queue.kind, store: 'unavailable' });
}
