import type { MemoryResponseCache } from './memory-response-cache';
import type { ResponseCache } from './response-cache.port';

/** How long at most a process keeps its own copy of an entry read from the shared store. */
export const LOCAL_COPY_MAX_MS = 10_000;

/**
 * A process-local copy in front of the shared store (Redis): a hit on an entry this process read
 * from the store in the last LOCAL_COPY_MAX_MS needs no round trip. A copy never outlives the
 * entry's own expiry (read from the entry by `expiryOf`), so the ttl is exact; an entry deleted from
 * Redis by hand can still be served by a process for up to LOCAL_COPY_MAX_MS. An entry written here
 * is not copied: most answers are never asked for again, and a copy of every miss kept for
 * LOCAL_COPY_MAX_MS filled the local memory (cache.memory_max_bytes) under traffic of new prompts;
 * the first repeat reads it from the store, and the ones after it from the copy.
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

  set(key: string, value: string, ttlS: number): void {
    this.remote.set(key, value, ttlS);
  }

  async close(): Promise<void> {
    await Promise.all([this.remote.close(), this.local.close()]);
  }

  private keep(key: string, entry: string): void {
    const expiry = this.expiryOf(entry);
    if (expiry === null) return;
    const ms = Math.min(expiry - this.now(), LOCAL_COPY_MAX_MS);
    if (ms > 0) this.local.setMs(key, entry, ms);
  }
}
