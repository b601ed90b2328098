import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** Frames are length-prefixed: 4-byte total length, 4-byte headers length, prelude CRC, ..., message CRC. */
const PRELUDE_BYTES = 12;
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export const headerString = (m: Message, name: string): string | undefined => {
  const h = m.headers[name];
  return h && h.type === 'string' ? h.value : undefined;
};

/** The `message`/`Message` of an exception frame's JSON body, when it has one. */
export function exceptionMessage(message: Message): string | undefined {
  try {
    const body: unknown = JSON.parse(toUtf8(message.body));
    if (body && typeof body === 'object') {
      const m = (body as Record<string, unknown>).message ?? (body as Record<string, unknown>).Message;
      if (typeof m === 'string') return m;
    }
  } catch {
    // fall back to the headers
  }
  return undefined;
}

/**
 * AWS event-stream (`application/vnd.amazon.eventstream`) bytes → whole messages. Bytes are
 * buffered until a whole frame (by its length prefix) is present, then decoded with the smithy
 * codec, which also verifies both CRCs. After a bad frame (`error` set) nothing more is decoded.
 */
export class EventStreamFrames {
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);
  private buffer = new Uint8Array(0);
  /** Why decoding stopped: an invalid length or a corrupt frame. */
  error: string | null = null;

  /** Bytes of an incomplete frame still held (a body ending with some was cut short). */
  get pending(): number {
    return this.buffer.length;
  }

  /** Feed raw bytes; returns the messages they complete (none once `error` is set). */
  push(chunk: Uint8Array): Message[] {
    const out: Message[] = [];
    if (this.error !== null) return out;
    this.append(chunk);
    while (this.buffer.length >= PRELUDE_BYTES) {
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
      const total = view.getUint32(0, false);
      if (total < PRELUDE_BYTES + 4 || total > MAX_FRAME_BYTES) {
        this.error = `bedrock sent an invalid event-stream frame length ${total}`;
        break;
      }
      if (this.buffer.length < total) break;
      const frame = this.buffer.subarray(0, total);
      this.buffer = this.buffer.slice(total);
      try {
        out.push(this.codec.decode(frame));
      } catch {
        this.error = 'bedrock sent a corrupt event-stream frame';
        break;
      }
    }
    return out;
  }

  private append(chunk: Uint8Array): void {
    if (this.buffer.length === 0) {
      this.buffer = chunk.slice();
      return;
    }
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer, 0);
    merged.set(chunk, this.buffer.length);
    this.buffer = merged;
  }
}
