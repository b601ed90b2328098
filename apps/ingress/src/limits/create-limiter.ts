import cluster from 'node:cluster';
import type { RedisLink } from '@gatehouse/redis';
import type { Runtime } from '@gatehouse/runtime';
import { createRedisCounters, HttpSpendSource, IpcWorkerCounters, Limiter, MemoryCounters, type LocalSpendSource, type SpendCounters, type SpendSource } from '@gatehouse/spend';
import type { TeamDirectory } from '@gatehouse/keys';
import { publishBudgetAlerts } from './budget-alert';

/**
 * The counters: Redis when there is a link (REDIS_URL is set; every replica shares them); in a standalone worker, the
 * primary's over IPC; else this process's memory. The spend source for re-seeding budgets:
 * GATEHOUSE_ANALYTICS_URL, else the standalone primary, else the analytics module in this process.
 */
export async function createLimiter(runtime: Runtime, teams: TeamDirectory, local: LocalSpendSource, link: RedisLink | null): Promise<Limiter> {
  const { env, config, logger } = runtime;
  let counters: SpendCounters;
  if (link) {
    const redis = createRedisCounters({ link, commandTimeoutMs: config.limits.redis_timeout_ms });
    // Connected before the app listens, so the first requests are limited too (or, after 3 s, start degraded).
    if (!(await redis.waitConnected(3000))) logger.warn({ on_redis_error: config.limits.on_redis_error }, 'limits: Redis did not answer at start-up');
    counters = redis;
  } else if (runtime.role === 'standalone' && cluster.isWorker) {
    counters = new IpcWorkerCounters(config.limits.redis_timeout_ms);
  } else {
    counters = new MemoryCounters();
  }
  const remote = env.GATEHOUSE_ANALYTICS_URL ?? (runtime.role === 'standalone' && cluster.isWorker ? env.GATEHOUSE_PRIMARY_URL : undefined);
  let source: SpendSource | null = null;
  if (remote) source = new HttpSpendSource(remote, runtime.adminToken);
  else if (runtime.role === 'standalone') {
    source = { spentSince: (kind, id, from) => (local.source ? local.source.spentSince(kind, id, from) : Promise.reject(new Error('the analytics module is not started'))) };
  } else {
    logger.warn('GATEHOUSE_ANALYTICS_URL is not set: a budget counter Redis loses restarts from $0 (docs/operations.md, "Budgets after a Redis restart")');
  }
  const offset = env.GATEHOUSE_TEST_CLOCK_OFFSET_MS ?? 0;
  return new Limiter(counters, (name) => teams.get(name), source, {
    onError: config.limits.on_redis_error,
    clock: offset ? () => Date.now() + offset : Date.now,
    logger,
    onBudgetCrossed: publishBudgetAlerts(runtime.bus),
    // in this process's memory an admission costs no call: nothing to lease
    leases: config.limits.leases && !(counters instanceof MemoryCounters),
  });
}
