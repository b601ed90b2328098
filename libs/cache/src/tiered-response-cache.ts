import type { MemoryResponseCache } from './memory-response-cache';
import type { ResponseCache } from './response-cache.port';

/** How long at most a process keeps its own copy of an entry read from the shared store. */
export const LOCAL_COPY_MAX_MS = 10_000;

/**
 * A process-local copy in front of the shared store (Redis): a hit on an entry this process read or
 * wrote in the last LOCAL_COPY_MAX_MS needs no round trip. A copy never outlives the entry's own
 * expiry (its ttl when written here, read from the entry by `expiryOf` when read from the store), so
 * the ttl is exact; an entry deleted from Redis by
 * hand can still be served by a process for up to LOCAL_COPY_MAX_MS.
 */
export class TieredResponseCache implements ResponseCache {
  get kind() {
    return this.remote.kind;
  }

  constructor(
    private readonly remote: ResponseCache,
    private readonly local: MemoryResponseCache,
    private readonly expiryOf: (entry: string) => number | null,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Promise<string | null> {
    const copy = this.local.read(key);
    if (copy !== null) return Promise.resolve(copy);
    return this.remote.get(key).then((entry) => {
      if (entry !== null) this.keep(key, entry);
      return entry;
    });
  }

  /** The entry expires ttlS from now: its copy is kept for that long at most, without reading its expiry back. */
  set(key: string, value: string, ttlS: number): void {
    const ms = Math.min(ttlS * 1000, LOCAL_COPY_MAX_MS);
    if (ms > 0) this.local.setMs(key, value, ms);
    this.remote.set(key, value, ttlS);
  }

  async close(): Promise<void> {
    await Promise.all([this.remote.close(), this.local.close()]);
  }

  /** A copy of an entry read from the shared store, until its own expiry (LOCAL_COPY_MAX_MS at most). */
  private keep(key: string, entry: string): void {
    const expiry = this.expiryOf(entry);
    if (expiry === null) return;
    const ms = Math.min(expiry - this.now(), LOCAL_COPY_MAX_MS);
    if (ms > 0) this.local.setMs(key, entry, ms);
  }
}
