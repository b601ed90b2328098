import { LRUCache } from 'lru-cache';

/**
 * Token counts of texts seen recently, least recently used first out, bounded by the characters of
 * the texts it keeps. A conversation's earlier messages, its system prompt and its tool definitions
 * come back with every request: counting them once keeps a tpm-limited request with a long history
 * from re-running the tokenizer over all of it (~50 µs per KB) on the request path. Texts shorter
 * than `minChars` are counted every time (cheaper than keeping them); one longer than `maxChars` is
 * never kept.
 */
export class TokenCountCache {
  private readonly counts: LRUCache<string, number>;
  hits = 0;
  misses = 0;

  constructor(
    private readonly count: (text: string) => number,
    maxChars: number,
    private readonly minChars: number,
  ) {
    this.counts = new LRUCache<string, number>({ maxSize: maxChars, sizeCalculation: (_, text) => text.length });
  }

  tokens(text: string): number {
    if (text.length < this.minChars) return this.count(text);
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
