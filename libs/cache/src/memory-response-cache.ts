import { LRUCache } from 'lru-cache';
import type { ResponseCache } from './response-cache.port';

/** Entries in this process's memory, least recently used evicted beyond maxBytes (UTF-16 length × 2 as the size). */
export class MemoryResponseCache implements ResponseCache {
  readonly kind = 'memory';
  private readonly lru: LRUCache<string, string>;

  constructor(maxBytes: number, clock: { now(): number } = performance) {
    this.lru = new LRUCache<string, string>({ maxSize: maxBytes, sizeCalculation: (v, k) => (v.length + k.length) * 2 || 1, perf: clock, ttlResolution: 0 });
  }

  get(key: string): Promise<string | null> {
    return Promise.resolve(this.lru.get(key) ?? null);
  }

  read(key: string): string | null {
    return this.lru.get(key) ?? null;
  }

  set(key: string, value: string, ttlS: number): void {
    this.setMs(key, value, ttlS * 1000);
  }

  setMs(key: string, value: string, ttlMs: number): void {
    this.lru.set(key, value, { ttl: ttlMs });
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}
