import { Redis } from 'ioredis';
import type { Logger } from '@gatehouse/observability';
import { StoreErrorReporter } from './cache-metrics';
import type { ResponseCache } from './response-cache.port';

export interface RedisResponseCacheOptions {
  url: string;
  /** A lookup not answered within this long is a MISS. */
  timeoutMs: number;
  logger: Logger;
}

/**
 * Entries in Redis (`SET key value EX ttl`, `GET key`), shared by every replica and worker. While
 * Redis is down commands fail at once (no offline queue) and ioredis keeps reconnecting in the
 * background, so a lookup costs at most the timeout and the cache resumes by itself.
 */
export class RedisResponseCache implements ResponseCache {
  readonly kind = 'redis';
  private readonly client: Redis;
  private readonly errors: StoreErrorReporter;

  private readonly timeoutMs: number;

  constructor(opts: RedisResponseCacheOptions) {
    this.timeoutMs = opts.timeoutMs;
    this.errors = new StoreErrorReporter('redis', opts.logger);
    this.client = new Redis(opts.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Bounds what piles up while Redis hangs (writes; lookups give up after timeoutMs).
      commandTimeout: Math.max(1_000, opts.timeoutMs),
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      // Lookups and writes of one event-loop turn go out in one socket write.
      enableAutoPipelining: true,
    });
    this.client.on('error', (e) => this.errors.report('connection', e));
  }

  /**
   * The timer's expiry is checked once more after the poll phase (setImmediate): a reply that arrived
   * while the event loop was busy (a long synchronous task) still counts instead of being a false MISS.
   */
  get(key: string): Promise<string | null> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => setImmediate(() => {
        if (settled) return;
        this.errors.report('get', new Error(`no answer within ${this.timeoutMs} ms`));
        finish(null);
      }), this.timeoutMs);
      this.client.get(key).then(finish, (e: unknown) => {
        this.errors.report('get', e);
        finish(null);
      });
    });
  }

  set(key: string, value: string, ttlS: number): void {
    this.client.set(key, value, 'EX', ttlS).catch((e: unknown) => this.errors.report('set', e));
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
