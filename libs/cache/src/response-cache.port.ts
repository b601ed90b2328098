/**
 * The response cache port: opaque string entries under opaque keys, with a TTL. Adapters: Redis
 * (REDIS_URL), in-memory (one process), and IPC to the standalone primary's in-memory store.
 * No method throws: a store failure or timeout is a miss on get and a dropped entry on set.
 */
export interface ResponseCache {
  readonly kind: 'redis' | 'memory' | 'primary-ipc';
  /** The entry, or null when absent, expired, or the store failed or did not answer in time. */
  get(key: string): Promise<string | null>;
  /** Stores in the background (fire and forget). */
  set(key: string, value: string, ttlS: number): void;
  close(): Promise<void>;
}

export const RESPONSE_CACHE = Symbol('RESPONSE_CACHE');
