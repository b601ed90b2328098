import type { StreamEvent } from '@gatehouse/formats';
import { bedrockFixture, encodeBedrockInvokeStream } from './fixture';
import { BedrockInvokeStreamParser } from './invoke-stream';

const MODEL = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';

/** Feeds the body cut at `cuts`, returning the canonical events and the SSE relayed to the client. */
function feed(raw: Uint8Array, cuts: number[]): { events: StreamEvent[]; sse: string } {
  const parser = new BedrockInvokeStreamParser(MODEL);
  const events: StreamEvent[] = [];
  let sse = '';
  let at = 0;
  for (const cut of [...cuts, raw.length]) {
    if (cut > at) {
      events.push(...parser.push(raw.subarray(at, cut)));
      sse += Buffer.from(parser.relay()).toString('utf8');
    }
    at = Math.max(at, cut);
  }
  events.push(...parser.end());
  sse += Buffer.from(parser.relay()).toString('utf8');
  return { events, sse };
}

const every = (raw: Uint8Array, size: number) => Array.from({ length: Math.ceil(raw.length / size) }, (_, i) => i * size);

/** The Anthropic events of a recorded invoke stream, as the client must see them. */
const expectedSse = (file: string): string =>
  (JSON.parse(bedrockFixture(file)) as Array<{ chunk?: { type: string } }>)
    .filter((r) => r.chunk)
    .map((r) => `event: ${r.chunk!.type}\ndata: ${JSON.stringify(r.chunk)}\n\n`)
    .join('');

describe('BedrockInvokeStreamParser', () => {
  const text = encodeBedrockInvokeStream('invoke-text.stream.json');
  const expectedEvents: StreamEvent[] = [
    { type: 'start', id: 'msg_bdrk_01XFDUDYJgAACzvnptvVoYEL', model: 'claude-3-5-haiku-20241022' },
    { type: 'usage', usage: { input_tokens: 21 + 1024, output_tokens: 1, cache_read_tokens: 1024, cache_write_tokens: 0, reasoning_tokens: 0 } },
    { type: 'text_delta', index: 0, text: 'The sky looks' },
    { type: 'text_delta', index: 0, text: ' blue because of Rayleigh scattering. 🌤️' },
    { type: 'block_stop', index: 0 },
    { type: 'usage', usage: { input_tokens: 21 + 1024, output_tokens: 14, cache_read_tokens: 1024, cache_write_tokens: 0, reasoning_tokens: 0 } },
    { type: 'stop', stop_reason: 'end_turn', stop_sequence: null },
  ];

  it('relays every chunk as the Anthropic SSE event it carries, byte for byte, and reads usage from message_start and message_delta', () => {
    const { events, sse } = feed(text, []);
    expect(sse).toBe(expectedSse('invoke-text.stream.json'));
    expect(sse).toContain('"amazon-bedrock-invocationMetrics"');
    expect(events).toEqual(expectedEvents);
  });

  it.each([1, 3, 12, 13, 64, 257])('gives the same events and SSE when the body arrives in pieces of %i bytes', (size) => {
    const { events, sse } = feed(text, every(text, size));
    expect(events).toEqual(expectedEvents);
    expect(sse).toBe(expectedSse('invoke-text.stream.json'));
  });

  it('turns a stream exception into an Anthropic error event with the matching type, after what came before', () => {
    const { events, sse } = feed(encodeBedrockInvokeStream('invoke-throttling.stream.json'), []);
    expect(events.filter((e) => e.type === 'text_delta')).toEqual([{ type: 'text_delta', index: 0, text: 'Hel' }]);
    expect(events[events.length - 1]).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'throttlingException: Too many tokens, please wait before trying again.' },
    });
    const last = sse.trimEnd().split('\n\n').pop()!;
    expect(last.split('\n')[0]).toBe('event: error');
    expect(JSON.parse(last.split('\n')[1].slice('data: '.length))).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'throttlingException: Too many tokens, please wait before trying again.' },
    });
  });

  it('a body cut inside a frame ends with an error event, not a silent end', () => {
    const { events, sse } = feed(text.subarray(0, text.length - 5), []);
    expect(events[events.length - 1]).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(sse).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"bedrock stream ended inside an event-stream frame"\}\}\n\n$/);
  });

  it('a corrupt frame is an error event and nothing after it is read', () => {
    const broken = text.slice();
    broken[20] ^= 0xff;
    const { events, sse } = feed(broken, []);
    expect(events).toEqual([{ type: 'error', error: { type: 'api_error', message: 'bedrock sent a corrupt event-stream frame' } }]);
    expect(sse.startsWith('event: error\n')).toBe(true);
  });

  it('a stream that ends at a frame boundary after message_start, without content, ends with an error event', () => {
    const first = new DataView(text.buffer, text.byteOffset, 4).getUint32(0, false);
    const { events, sse } = feed(text.subarray(0, first), []);
    expect(events.map((e) => e.type)).toEqual(['start', 'usage', 'error']);
    expect(sse.startsWith('event: message_start\n')).toBe(true);
    expect(sse.endsWith('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream stream ended before the response finished"}}\n\n')).toBe(true);
  });
});
