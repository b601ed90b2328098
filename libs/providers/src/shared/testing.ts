import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StreamEvent } from '@gatehouse/formats';
import type { StreamParser } from '../provider';

/** Test helper: a recorded wire fixture from `<provider>/fixtures/`. */
export const readFixture = (provider: string, file: string): string =>
  readFileSync(join(__dirname, '..', provider, 'fixtures', file), 'utf8');

/** Test helper: feed a body to a stream parser in chunks of `size` bytes (splitting lines and characters). */
export function runStream(parser: StreamParser, body: string, size = 7): StreamEvent[] {
  const bytes = Buffer.from(body, 'utf8');
  const events: StreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...parser.push(bytes.subarray(i, i + size)));
  events.push(...parser.end());
  return events;
}

/** Test helper: concatenated text/arguments per block index. */
export function collect(events: StreamEvent[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of events) {
    if (e.type === 'text_delta' || e.type === 'thinking_delta') out.set(e.index, (out.get(e.index) ?? '') + e.text);
    if (e.type === 'tool_call_delta') out.set(e.index, (out.get(e.index) ?? '') + e.arguments);
  }
  return out;
}
