import type { Redis } from 'ioredis';
import type { Logger } from '@gatehouse/observability';
import { CACHE_KEY_PREFIX } from './cache-key';

/** Where every replica announces the entries it wrote (one message per write batch: lines of "<ttl s> <key>"). */
export const KEY_INDEX_CHANNEL = 'gatehouse:cache:v1:written';
/** Keys per SCAN step of a sync. */
const SCAN_COUNT = 1000;
const SWEEP_MS = 10_000;
/** A sync that failed (Redis away) is tried again after this long. */
const RETRY_MS = 1_000;

/** The first 52 bits of the key's SHA-256 (hex digits after the prefix): a number, so the index holds no strings. */
const HEAD = CACHE_KEY_PREFIX.length;
const slot = (key: string): number => (key.length >= HEAD + 13 && key.startsWith(CACHE_KEY_PREFIX) ? parseInt(key.slice(HEAD, HEAD + 13), 16) : NaN);

/**
 * Which response-cache entries Redis holds, known in this process, so a lookup of a key Redis cannot
 * have is a MISS without a round trip (most lookups of a cache with varied prompts miss). Each replica
 * publishes the keys it writes on KEY_INDEX_CHANNEL in the same pipeline as the writes, and every
 * replica hears them on its own subscriber connection, so an entry is in every index about when it is
 * in Redis. After (re)subscribing, the index reads the keys Redis already holds (SCAN and PTTL) and
 * answers "absent" only once that is done; while the subscriber is disconnected, or the index would
 * pass maxKeys, every lookup asks Redis as before. A key Redis evicted early still looks present
 * (the lookup then asks Redis and misses): the index can only err towards asking.
 */
export class RedisKeyIndex {
  private readonly expiry = new Map<number, number>();
  private readonly sub: Redis;
  /** Counts subscriber connections: a sync of an earlier one is dropped. */
  private epoch = 0;
  private synced = false;
  private overflow = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly client: Redis,
    private readonly maxKeys: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.sub = client.duplicate({ enableOfflineQueue: true, autoResubscribe: false });
    this.sub.on('error', () => undefined);
    this.sub.on('message', (_channel: string, message: string) => this.heard(message));
    this.sub.on('ready', () => void this.start(++this.epoch));
    this.sub.on('close', () => {
      this.epoch++;
      this.synced = false;
    });
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS).unref();
  }

  /** True only when Redis certainly holds no entry under key. */
  absent(key: string): boolean {
    if (!this.synced) return false;
    const s = slot(key);
    if (s !== s) return false;
    const until = this.expiry.get(s);
    return until === undefined || until <= this.now();
  }

  /** Whether lookups can be answered here (subscribed and the keys Redis held were read). */
  get ready(): boolean {
    return this.synced;
  }

  /** An entry this process (or another replica, heard on the channel) wrote under key for ttlS seconds. */
  add(key: string, ttlS: number): void {
    const s = slot(key);
    if (s !== s || this.overflow) return;
    if (this.expiry.size >= this.maxKeys && !this.expiry.has(s)) return this.overflowed();
    this.expiry.set(s, this.now() + ttlS * 1000);
  }

  /** The announcement of a write batch: lines of "<ttl s> <key>". */
  static announcement(writes: ReadonlyArray<readonly [key: string, value: string, ttlS: number]>): string {
    let out = '';
    for (const [key, , ttlS] of writes) out += `${ttlS} ${key}\n`;
    return out;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.epoch++;
    this.synced = false;
    this.sub.disconnect();
  }

  private heard(message: string): void {
    let from = 0;
    while (from < message.length) {
      const nl = message.indexOf('\n', from);
      const end = nl === -1 ? message.length : nl;
      const sp = message.indexOf(' ', from);
      if (sp > from && sp < end) this.add(message.slice(sp + 1, end), Number(message.slice(from, sp)));
      from = end + 1;
    }
  }

  /** Subscribes (so no write is missed), then reads what Redis holds; answers only after both. */
  private async start(epoch: number): Promise<void> {
    this.synced = false;
    try {
      await this.sub.subscribe(KEY_INDEX_CHANNEL);
      let cursor = '0';
      do {
        const [next, keys] = await this.client.scan(cursor, 'MATCH', `${CACHE_KEY_PREFIX}*`, 'COUNT', SCAN_COUNT);
        cursor = next;
        if (keys.length === 0) continue;
        const p = this.client.pipeline();
        for (const k of keys) p.pttl(k);
        const ttls = (await p.exec()) ?? [];
        if (epoch !== this.epoch) return;
        keys.forEach((k, i) => {
          const ms = Number(ttls[i]?.[1]);
          // -1: no expiry (not written by a gateway); -2: gone since the SCAN
          if (ms > 0 || ms === -1) this.add(k, ms === -1 ? 365 * 86_400 : ms / 1000);
        });
      } while (cursor !== '0' && epoch === this.epoch && !this.overflow);
      if (epoch === this.epoch && !this.overflow) this.synced = true;
    } catch {
      if (epoch !== this.epoch) return;
      setTimeout(() => epoch === this.epoch && void this.start(epoch), RETRY_MS).unref();
    }
  }

  private overflowed(): void {
    this.overflow = true;
    this.synced = false;
    this.log.warn({ max_keys: this.maxKeys }, 'response cache: more entries than cache.key_index_max_keys: lookups ask Redis until fewer are live');
  }

  private sweep(): void {
    const t = this.now();
    for (const [s, until] of this.expiry) if (until <= t) this.expiry.delete(s);
    if (this.overflow && this.expiry.size < this.maxKeys * 0.9) {
      this.overflow = false;
      if (this.sub.status === 'ready') void this.start(++this.epoch);
    }
  }
}
