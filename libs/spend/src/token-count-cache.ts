import { LRUCache } from 'lru-cache';

/** The bounds of a TokenCountCache: the characters of the texts it keeps, and how many texts. */
export interface TokenCountBounds {
  maxChars: number;
  maxTexts: number;
}

/**
 * Token counts of texts seen recently, least recently used first out, bounded by the characters of
 * the texts it keeps and by their number. A conversation's earlier messages, its system prompt and
 * its tool definitions come back with every request: counting them once keeps a tpm-limited request
 * with a long history from re-running the tokenizer over all of it (~50 µs per KB) on the request
 * path. Short texts are kept too: in a busy ingress the tokenizer's 14 MB of tables are out of the
 * CPU's caches, and a 30-character prompt cost ~10 µs of CPU per request there (profile, 2026-12-01),
 * against well under 1 µs for the lookup. A text longer than `maxChars` is never kept.
 */
export class TokenCountCache {
  private readonly counts: LRUCache<string, number>;
  hits = 0;
  misses = 0;

  constructor(
    private readonly count: (text: string) => number,
    bounds: TokenCountBounds,
  ) {
    this.counts = new LRUCache<string, number>({ max: bounds.maxTexts, maxSize: bounds.maxChars, sizeCalculation: (_, text) => text.length });
  }

  tokens(text: string): number {
    if (text.length === 0) return 0;
    const known = this.counts.get(text);
    if (known !== undefined) {
      this.hits++;
      return known;
    }
    this.misses++;
    const n = this.count(text);
    this.counts.set(text, n);
    return n;
  }
}
