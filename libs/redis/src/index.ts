/** Public surface of libs/redis: the shared request-path connection (ioredis is loaded only by processes that create one). */
import type { RedisLink, RedisLinkOptions } from './redis-link';

export type { RedisLink, RedisLinkOptions };

export function createRedisLink(opts: RedisLinkOptions): RedisLink {
  const { RedisLink: Impl } = require('./redis-link') as typeof import('./redis-link');
  return new Impl(opts);
}
