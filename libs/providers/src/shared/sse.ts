import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Bytes → SSE messages. Collects the messages completed by each push so a StreamParser can
 * translate them synchronously. One decoder per stream keeps multi-byte characters split
 * across chunks intact.
 */
export class SseDecoder {
  private readonly decoder = new TextDecoder();
  private pending: EventSourceMessage[] = [];
  private readonly parser = createParser({ onEvent: (m) => this.pending.push(m) });

  push(chunk: Uint8Array): EventSourceMessage[] {
    this.parser.feed(this.decoder.decode(chunk, { stream: true }));
    return this.take();
  }

  end(): EventSourceMessage[] {
    const tail = this.decoder.decode();
    // A server that closes without the final blank line still meant its last event.
    this.parser.feed(`${tail}\n\n`);
    this.parser.reset();
    return this.take();
  }

  private take(): EventSourceMessage[] {
    if (this.pending.length === 0) return EMPTY;
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

const EMPTY: EventSourceMessage[] = [];
