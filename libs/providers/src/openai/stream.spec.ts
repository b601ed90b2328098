import { collect, readFixture, runStream } from '../shared/testing';
import { OpenAIStreamParser } from './stream';

describe('OpenAIStreamParser', () => {
  it('streams text with start, deltas, block_stop, usage then stop, across split bytes', () => {
    const events = runStream(new OpenAIStreamParser('gpt-4o-mini'), readFixture('openai', 'stream-text.sse'), 5);
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-BAaJ6GmAAJ1JPWkzQm5Uy3hCqP9Sd', model: 'gpt-4o-mini-2024-07-18' });
    expect(collect(events).get(0)).toBe('Hello! How can I help — café?');
    expect(events.slice(-3)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { input_tokens: 1290, output_tokens: 9, cache_read_tokens: 1152, cache_write_tokens: 0, reasoning_tokens: 0 } },
      { type: 'stop', stop_reason: 'end_turn' },
    ]);
  });

  it('gives two parallel tool calls their own block indices', () => {
    const events = runStream(new OpenAIStreamParser('gpt-4.1'), readFixture('openai', 'stream-parallel-tools.sse'), 13);
    expect(events.filter((e) => e.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', index: 0, id: 'call_Kp3Yq9ZMV6cDMbF0sWbcFqLw', name: 'get_weather' },
      { type: 'tool_call_start', index: 1, id: 'call_mT5xG2fHk8nQ1rV7wLzC4dAe', name: 'get_time' },
    ]);
    const args = collect(events);
    expect(JSON.parse(args.get(0)!)).toEqual({ location: 'Paris, France' });
    expect(JSON.parse(args.get(1)!)).toEqual({ tz: 'Europe/Paris' });
    expect(events.filter((e) => e.type === 'block_stop')).toEqual([{ type: 'block_stop', index: 0 }, { type: 'block_stop', index: 1 }]);
    expect(events[events.length - 1]).toEqual({ type: 'stop', stop_reason: 'tool_use' });
  });

  it('reports reasoning and cached tokens from the usage chunk', () => {
    const events = runStream(new OpenAIStreamParser('o3-mini'), readFixture('openai', 'stream-reasoning.sse'));
    expect(events.find((e) => e.type === 'usage')).toEqual({
      type: 'usage', usage: { input_tokens: 1536, output_tokens: 707, cache_read_tokens: 1024, cache_write_tokens: 0, reasoning_tokens: 640 },
    });
  });

  it('turns an in-stream error into an error event with secrets masked', () => {
    const body = 'data: {"error":{"message":"bad key sk-abcdefghijklmnop","type":"server_error"}}\n\n';
    const events = runStream(new OpenAIStreamParser('gpt-4o'), body);
    expect(events).toEqual([{ type: 'error', error: { type: 'server_error', message: 'bad key sk-***' } }]);
  });

  it('reports a body cut off before finish_reason as an error, closing open blocks', () => {
    const text = readFixture('openai', 'stream-text.sse');
    const cut = text.slice(0, text.indexOf('"finish_reason":"stop"'));
    const events = runStream(new OpenAIStreamParser('gpt-4o'), cut.slice(0, cut.lastIndexOf('data:')));
    expect(events.slice(-2)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'error', error: { type: 'upstream_error', message: 'upstream stream ended before the response finished' } },
    ]);
  });

  it('still stops when [DONE] is missing but finish_reason arrived', () => {
    const text = readFixture('openai', 'stream-text.sse').replace('data: [DONE]\n\n', '');
    const events = runStream(new OpenAIStreamParser('gpt-4o'), text);
    expect(events[events.length - 1]).toEqual({ type: 'stop', stop_reason: 'end_turn' });
  });
});
