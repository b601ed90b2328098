import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** Reads a recorded wire example from ./fixtures (test helper). */
export const bedrockFixture = (file: string): string => readFileSync(join(__dirname, 'fixtures', file), 'utf8');

interface RecordedEvent {
  event?: string;
  exception?: string;
  body: unknown;
}

/** Encodes a recorded ConverseStream (fixtures/*.stream.json) into event-stream frames as AWS sends them. */
export function encodeBedrockStream(file: string): Uint8Array {
  return frameEvents(JSON.parse(bedrockFixture(file)) as RecordedEvent[]);
}

interface RecordedChunk {
  /** An Anthropic stream event, sent base64-encoded as the `bytes` of a `chunk` event. */
  chunk?: unknown;
  /** Padding AWS adds to chunk events. */
  p?: string;
  exception?: string;
  body?: unknown;
}

/** Encodes a recorded InvokeModelWithResponseStream (fixtures/invoke-*.stream.json) into event-stream frames. */
export function encodeBedrockInvokeStream(file: string): Uint8Array {
  const recorded = JSON.parse(bedrockFixture(file)) as RecordedChunk[];
  return frameEvents(recorded.map((r) => (r.exception
    ? { exception: r.exception, body: r.body }
    : { event: 'chunk', body: { bytes: Buffer.from(JSON.stringify(r.chunk)).toString('base64'), ...(r.p ? { p: r.p } : {}) } })));
}

function frameEvents(events: RecordedEvent[]): Uint8Array {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const frames = events.map((e) => {
    const headers: MessageHeaders = e.exception
      ? {
        ':message-type': { type: 'string', value: 'exception' },
        ':exception-type': { type: 'string', value: e.exception },
        ':content-type': { type: 'string', value: 'application/json' },
      }
      : {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: e.event ?? '' },
        ':content-type': { type: 'string', value: 'application/json' },
      };
    return codec.encode({ headers, body: fromUtf8(JSON.stringify(e.body)) });
  });
  const out = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}
