import type { RedisCounters, RedisCountersOptions } from './redis/redis-counters';

/** The Redis adapter, loaded on first use: processes without REDIS_URL never load its scripts. */
export function createRedisCounters(opts: RedisCountersOptions): RedisCounters {
  const { RedisCounters: Impl } = require('./redis/redis-counters') as typeof import('./redis/redis-counters');
  return new Impl(opts);
}
