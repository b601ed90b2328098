import type { StreamEvent } from '@gatehouse/formats';
import { encodeBedrockStream } from './fixture';
import { BedrockStreamParser } from './stream';

const MODEL = 'anthropic.claude-sonnet-4-20250514-v1:0';

function feed(raw: Uint8Array, cuts: number[]): StreamEvent[] {
  const parser = new BedrockStreamParser(MODEL);
  const events: StreamEvent[] = [];
  let at = 0;
  for (const cut of [...cuts, raw.length]) {
    if (cut > at) events.push(...parser.push(raw.subarray(at, cut)));
    at = Math.max(at, cut);
  }
  events.push(...parser.end());
  return events;
}

const every = (raw: Uint8Array, size: number) => Array.from({ length: Math.ceil(raw.length / size) }, (_, i) => i * size);
const normalize = (events: StreamEvent[]) => events.map((e) => (e.type === 'start' ? { ...e, id: 'ID' } : e));

describe('BedrockStreamParser', () => {
  const text = encodeBedrockStream('text.stream.json');
  const expectedText: StreamEvent[] = [
    { type: 'start', id: 'ID', model: MODEL },
    { type: 'text_delta', index: 0, text: 'The sky looks' },
    { type: 'text_delta', index: 0, text: ' blue because of Rayleigh scattering. 🌤️' },
    { type: 'block_stop', index: 0 },
    { type: 'usage', usage: { input_tokens: 18 + 1024, output_tokens: 14, cache_read_tokens: 1024, cache_write_tokens: 0, reasoning_tokens: 0 } },
    { type: 'stop', stop_reason: 'end_turn', stop_sequence: null },
  ];

  it('decodes a whole body in one chunk', () => {
    expect(normalize(feed(text, []))).toEqual(expectedText);
  });

  it.each([1, 2, 3, 5, 11, 12, 13, 97])('decodes the same events when split every %i bytes', (size) => {
    expect(normalize(feed(text, every(text, size)))).toEqual(expectedText);
  });

  it('decodes frames split inside the length prefix, the headers and the trailing CRC', () => {
    const firstFrameLength = new DataView(text.buffer, text.byteOffset).getUint32(0, false);
    const cuts = [2, 9, 20, firstFrameLength - 2, firstFrameLength + 1, firstFrameLength + 3, text.length - 1];
    expect(normalize(feed(text, cuts))).toEqual(expectedText);
  });

  it('streams reasoning, text and two tool calls as separate blocks with argument fragments', () => {
    const raw = encodeBedrockStream('tools.stream.json');
    const events = feed(raw, every(raw, 7));
    expect(events.filter((e) => e.type === 'thinking_delta')).toEqual([
      { type: 'thinking_delta', index: 0, text: 'Two cities, so two calls.' },
      { type: 'thinking_delta', index: 0, text: '', signature: 'EqoBCkgIARABGAIiQL2x8QmNf1r3dS6Y0KZp9yZ5v6Hh' },
    ]);
    expect(events.filter((e) => e.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', index: 2, id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather' },
      { type: 'tool_call_start', index: 3, id: 'tooluse_3mB8r0xWQYuYk2iS9eZf1A', name: 'get_weather' },
    ]);
    const argsOf = (i: number) => events.map((e) => (e.type === 'tool_call_delta' && e.index === i ? e.arguments : '')).join('');
    expect(JSON.parse(argsOf(2))).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(JSON.parse(argsOf(3))).toEqual({ city: 'London', unit: 'celsius' });
    expect(events.filter((e) => e.type === 'block_stop').map((e) => e.type === 'block_stop' && e.index)).toEqual([0, 1, 2, 3]);
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { input_tokens: 402 + 1290, output_tokens: 160, cache_read_tokens: 0, cache_write_tokens: 1290, reasoning_tokens: 0 } },
      { type: 'stop', stop_reason: 'tool_use', stop_sequence: null },
    ]);
  });

  it('turns an exception frame into an error event', () => {
    const raw = encodeBedrockStream('throttling.stream.json');
    const events = feed(raw, every(raw, 10));
    expect(events.slice(-2)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'error', error: { type: 'throttlingException', message: 'Too many tokens, please wait before trying again.' } },
    ]);
    expect(events.some((e) => e.type === 'stop')).toBe(false);
  });

  it('reports a corrupt frame and a truncated body as errors', () => {
    const corrupt = encodeBedrockStream('text.stream.json');
    corrupt[20] ^= 0xff;
    expect(feed(corrupt, [])).toEqual([{ type: 'error', error: { type: 'upstream_error', message: 'bedrock sent a corrupt event-stream frame' } }]);
    const truncated = feed(text.subarray(0, text.length - 5), []);
    expect(truncated[truncated.length - 1]).toEqual({ type: 'error', error: { type: 'upstream_error', message: 'bedrock stream ended before messageStop' } });
  });
});
