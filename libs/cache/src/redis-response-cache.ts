import type { Redis } from 'ioredis';
import type { Logger } from '@gatehouse/observability';
import type { RedisLink } from '@gatehouse/redis';
import { cacheMetrics, StoreErrorReporter } from './cache-metrics';
import { KEY_INDEX_CHANNEL, RedisKeyIndex } from './redis-key-index';
import type { ResponseCache } from './response-cache.port';

const NONE: Promise<string | null> = Promise.resolve(null);

/** Entries written within this long travel together (one pipeline: one socket write, one read of the replies). */
const WRITE_DELAY_MS = 5;
/** ... or at once when this many are waiting. */
const WRITE_BATCH = 64;

export interface RedisResponseCacheOptions {
  /** The connection, shared with the limiter's counters: a turn's lookups and limiter calls leave in one socket write. */
  link: RedisLink;
  /** A lookup not answered within this long is a MISS. */
  timeoutMs: number;
  logger: Logger;
  /** Keep a RedisKeyIndex of at most this many entries, so a lookup Redis cannot answer costs no round trip (0: none). */
  keyIndexMaxKeys?: number;
}

/**
 * Entries in Redis (`SET key value EX ttl`, `GET key`), shared by every replica and worker. Writes
 * are off the request path and batched (WRITE_DELAY_MS, WRITE_BATCH): the gateway and Redis handle
 * one socket write and one read for many entries instead of one per answered request. A lookup
 * goes out at once, or, made after the limiter's call of the same turn, in that call's socket write
 * (RedisLink); with a key index (cache.key_index_max_keys), a lookup of a key Redis cannot hold is a
 * MISS without a round trip. While
 * Redis is down commands fail at once (no offline queue) and ioredis keeps reconnecting in the
 * background, so a lookup costs at most the timeout and the cache resumes by itself.
 */
export class RedisResponseCache implements ResponseCache {
  readonly kind = 'redis';
  private readonly client: Redis;
  private readonly errors: StoreErrorReporter;

  private readonly timeoutMs: number;
  private writes: Array<[key: string, value: string, ttlS: number]> = [];
  private writeTimer: NodeJS.Timeout | null = null;
  readonly index: RedisKeyIndex | null;

  constructor(opts: RedisResponseCacheOptions) {
    this.timeoutMs = opts.timeoutMs;
    this.errors = new StoreErrorReporter('redis', opts.logger);
    this.client = opts.link.client;
    this.client.on('error', (e) => this.errors.report('connection', e));
    this.index = opts.keyIndexMaxKeys ? new RedisKeyIndex(this.client, opts.keyIndexMaxKeys, opts.logger) : null;
  }

  /**
   * The timer's expiry is checked once more after the poll phase (setImmediate): a reply that arrived
   * while the event loop was busy (a long synchronous task) still counts instead of being a false MISS.
   */
  get(key: string): Promise<string | null> {
    if (this.index?.absent(key)) {
      cacheMetrics.indexMiss.inc();
      return NONE;
    }
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
    this.index?.add(key, ttlS);
    this.writes.push([key, value, ttlS]);
    if (this.writes.length >= WRITE_BATCH) void this.flushWrites();
    else this.writeTimer ??= setTimeout(() => void this.flushWrites(), WRITE_DELAY_MS);
  }

  /** Sends the waiting entries; the link is closed by its owner. */
  async close(): Promise<void> {
    this.index?.close();
    await this.flushWrites();
  }

  private async flushWrites(): Promise<void> {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = null;
    if (this.writes.length === 0) return;
    const batch = this.client.pipeline();
    for (const [key, value, ttlS] of this.writes) batch.set(key, value, 'EX', ttlS);
    // the other replicas' indexes hear of the entries right after Redis stored them
    if (this.index) batch.publish(KEY_INDEX_CHANNEL, RedisKeyIndex.announcement(this.writes));
    this.writes = [];
    try {
      for (const [e] of (await batch.exec()) ?? []) if (e) this.errors.report('set', e);
    } catch (e) {
      this.errors.report('set', e);
    }
  }
}
