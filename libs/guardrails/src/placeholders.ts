/**
 * Typed placeholders for one request: the same (label, value) always gets the same placeholder
 * (`[EMAIL_1]`, `[EMAIL_2]`, `[PHONE_1]`...) across messages, stages and stream chunks.
 * Create one per request and pass it to both the input and output evaluation.
 */
export class Placeholders {
  private readonly byValue = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  for(label: string, key: string): string {
    const id = `${label}\u0000${key}`;
    const known = this.byValue.get(id);
    if (known) return known;
    const n = (this.counters.get(label) ?? 0) + 1;
    this.counters.set(label, n);
    const placeholder = `[${label}_${n}]`;
    this.byValue.set(id, placeholder);
    return placeholder;
  }

  get size(): number {
    return this.byValue.size;
  }
}
