/**
 * Collects the bytes a response sends to the client, so a complete success can be stored and
 * replayed byte for byte. Stops collecting (and can no longer be stored) past maxBytes.
 */
export class ResponseCapture {
  private parts: Array<string | Uint8Array> = [];
  private size = 0;
  private done = false;
  oversize = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: string | Uint8Array): void {
    if (this.oversize || this.done) return;
    this.size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (this.size > this.maxBytes) {
      this.oversize = true;
      this.parts = [];
      return;
    }
    this.parts.push(chunk);
  }

  /** The response ended normally after its last bytes; only a complete response may be stored. */
  complete(last?: string | Uint8Array): void {
    if (last !== undefined && last.length > 0) this.push(last);
    this.done = true;
  }

  get completed(): boolean {
    return this.done;
  }

  /** The whole body as sent (UTF-8). */
  body(): string {
    if (this.parts.length === 1 && typeof this.parts[0] === 'string') return this.parts[0];
    return Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString('utf8');
  }
}
