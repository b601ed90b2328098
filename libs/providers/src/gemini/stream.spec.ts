import type { StreamEvent } from '@gatehouse/formats';
import { geminiFixture } from './fixture';
import { parseGeminiResponse } from './response';
import { GeminiStreamParser } from './stream';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Feeds the body split every `size` bytes (splitting multi-byte characters too). */
function run(body: string, size: number): StreamEvent[] {
  const parser = new GeminiStreamParser('gemini-2.0-flash');
  const raw = bytes(body);
  const events: StreamEvent[] = [];
  for (let i = 0; i < raw.length; i += size) events.push(...parser.push(raw.subarray(i, i + size)));
  events.push(...parser.end());
  return events;
}

const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === 'text_delta' ? e.text : '')).join('');

describe('GeminiStreamParser', () => {
  it.each([1, 3, 7, 64, 100000])('yields the same text stream when split every %i bytes', (size) => {
    const events = run(geminiFixture('text.stream.sse'), size);
    expect(events[0]).toEqual({ type: 'start', id: '7VWFaOPdFMyEz7IPsqTwqQc', model: 'gemini-2.0-flash' });
    expect(textOf(events)).toBe('The sky is blue because of Rayleigh scattering: air molecules scatter short (blue) wavelengths of sunlight more than long ones. 🌤️');
    expect(events.filter((e) => e.type === 'text_delta').every((e) => e.type === 'text_delta' && e.index === 0)).toBe(true);
    expect(events.slice(-3)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { input_tokens: 9, output_tokens: 27, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 } },
      { type: 'stop', stop_reason: 'end_turn', stop_sequence: null },
    ]);
  });

  it('streams thinking, then each whole function call as its own block, and ends with tool_use', () => {
    const events = run(geminiFixture('tool-calls.stream.sse'), 13);
    const starts = events.filter((e) => e.type === 'tool_call_start');
    expect(starts.map((e) => e.type === 'tool_call_start' && e.name)).toEqual(['get_weather', 'get_weather']);
    const args = events.filter((e) => e.type === 'tool_call_delta').map((e) => (e.type === 'tool_call_delta' ? JSON.parse(e.arguments) : null));
    expect(args).toEqual([{ city: 'Paris', unit: 'celsius' }, { city: 'London', unit: 'celsius' }]);
    expect(events.find((e) => e.type === 'thinking_delta' && e.text.includes('two cities'))).toBeDefined();
    expect(events.find((e) => e.type === 'thinking_delta' && e.signature === 'CiQB0e2Kb8mqP7wz2tZ8Yp6x3vVfX0n4uN1Q0m9bYc2kq1sTz8E=')).toBeDefined();
    const indexes = starts.map((e) => (e.type === 'tool_call_start' ? e.index : -1));
    expect(new Set(indexes).size).toBe(2);
    for (const i of indexes) expect(events).toContainEqual({ type: 'block_stop', index: i });
    expect(events).toContainEqual({ type: 'usage', usage: { input_tokens: 118, output_tokens: 153, cache_read_tokens: 64, cache_write_tokens: 0, reasoning_tokens: 107 } });
    expect(events[events.length - 1]).toEqual({ type: 'stop', stop_reason: 'tool_use', stop_sequence: null });
  });

  it('gives streamed tool calls the same ids as the non-streamed response would', () => {
    const sse = geminiFixture('tool-calls.stream.sse');
    const last = sse.trim().split(/\r?\n\r?\n/).pop()!.replace(/^data: /, '');
    const whole = parseGeminiResponse(last, 'm').content.filter((c) => c.type === 'tool_call').map((c) => (c.type === 'tool_call' ? c.id : ''));
    const streamed = run(sse, 50).filter((e) => e.type === 'tool_call_start').map((e) => (e.type === 'tool_call_start' ? e.id : ''));
    expect(streamed).toEqual(whole);
  });

  it('turns an error event into an error and stops translating', () => {
    const body = 'data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"}}],"responseId":"r1"}\n\n'
      + 'data: {"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}\n\n';
    const events = run(body, 5);
    expect(events[events.length - 1]).toEqual({ type: 'error', error: { type: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' } });
    expect(events.some((e) => e.type === 'stop')).toBe(false);
  });

  it('reports a stream cut before any finish reason as an error', () => {
    const events = run('data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"}}],"responseId":"r2"}\n\n', 4);
    expect(events[events.length - 1]).toEqual({ type: 'error', error: { type: 'upstream_error', message: 'gemini stream ended before a finish reason' } });
  });
});
