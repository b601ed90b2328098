/**
 * Token counts of texts seen recently, least recently used first out, bounded by the characters of
 * the texts it keeps. A conversation's earlier messages, its system prompt and its tool definitions
 * come back with every request: counting them once keeps a tpm-limited request with a long history
 * from re-running the tokenizer over all of it (~50 µs per KB) on the request path. Texts shorter
 * than `minChars` are counted every time (cheaper than keeping them).
 */
export class TokenCountCache {
  private readonly counts = new Map<string, number>();
  private chars = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly count: (text: string) => number,
    private readonly maxChars: number,
    private readonly minChars: number,
  ) {}

  tokens(text: string): number {
    if (text.length < this.minChars) return this.count(text);
    const known = this.counts.get(text);
    if (known !== undefined) {
      this.hits++;
      // most recently used last
      this.counts.delete(text);
      this.counts.set(text, known);
      return known;
    }
    this.misses++;
    const n = this.count(text);
    if (text.length > this.maxChars) return n;
    this.counts.set(text, n);
    this.chars += text.length;
    for (const oldest of this.counts.keys()) {
      if (this.chars <= this.maxChars) break;
      this.counts.delete(oldest);
      this.chars -= oldest.length;
    }
    return n;
  }
}
