import { LRUCache } from 'lru-cache';
import { decodeCachedResponse, type CachedResponse } from './cached-response';

/** A hit ready to be sent: the decoded entry and its body's length in bytes (the content-length header). */
export interface ReplayableResponse extends CachedResponse {
  contentLength: string;
}

/**
 * Decoded cache hits by cache key, reused while the store answers with an entry equal to the one
 * decoded: a hot entry is parsed (metadata JSON, its schema, the body's byte length) once, not on
 * every hit. Bounded by count and by the UTF-16 size of the entries it holds: most of them are the
 * same strings the store's local copy of hot entries holds, so it adds little memory of its own.
 */
export class DecodedEntries {
  private readonly lru: LRUCache<string, { entry: string; hit: ReplayableResponse }>;

  constructor(maxEntries: number, maxBytes: number) {
    this.lru = new LRUCache({ max: maxEntries, maxSize: maxBytes, sizeCalculation: (v) => v.entry.length * 2 || 1 });
  }

  /** The decoded entry; null when this version cannot read it (a miss). */
  decode(key: string, entry: string): ReplayableResponse | null {
    const known = this.lru.get(key);
    if (known !== undefined && known.entry === entry) return known.hit;
    const decoded = decodeCachedResponse(entry);
    if (decoded === null) return null;
    const hit = { ...decoded, contentLength: String(Buffer.byteLength(decoded.body)) };
    this.lru.set(key, { entry, hit });
    return hit;
  }
}
