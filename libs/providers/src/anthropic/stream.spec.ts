import { collect, readFixture, runStream } from '../shared/testing';
import { AnthropicStreamParser } from './stream';

describe('AnthropicStreamParser', () => {
  it('streams text with cache-inclusive input usage and output usage from message_delta', () => {
    const events = runStream(new AnthropicStreamParser('claude'), readFixture('anthropic', 'stream-text.sse'), 3);
    expect(events[0]).toEqual({ type: 'start', id: 'msg_01XwYqLbY5nzrZmKHkQ7v8Nd', model: 'claude-sonnet-4-20250514' });
    expect(events[1]).toEqual({ type: 'usage', usage: { input_tokens: 5145, output_tokens: 1, cache_read_tokens: 4096, cache_write_tokens: 1024, reasoning_tokens: 0 } });
    expect(collect(events).get(0)).toBe('Hello, naïve world! 👋');
    expect(events.slice(-3)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { input_tokens: 5145, output_tokens: 15, cache_read_tokens: 4096, cache_write_tokens: 1024, reasoning_tokens: 0 } },
      { type: 'stop', stop_reason: 'end_turn', stop_sequence: null },
    ]);
  });

  it('streams text then two tool calls as blocks 0, 1, 2', () => {
    const events = runStream(new AnthropicStreamParser('claude'), readFixture('anthropic', 'stream-parallel-tools.sse'), 11);
    expect(events.filter((e) => e.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', index: 1, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool_call_start', index: 2, id: 'toolu_01Vx8cNq2mR5pLk3jHs9Wd4F', name: 'get_time' },
    ]);
    const blocks = collect(events);
    expect(blocks.get(0)).toBe('Checking both cities.');
    expect(JSON.parse(blocks.get(1)!)).toEqual({ location: 'San Francisco, CA' });
    expect(JSON.parse(blocks.get(2)!)).toEqual({ timezone: 'America/New_York' });
    expect(events[events.length - 1]).toEqual({ type: 'stop', stop_reason: 'tool_use', stop_sequence: null });
  });

  it('streams thinking with its signature and renumbers around redacted thinking', () => {
    const events = runStream(new AnthropicStreamParser('claude'), readFixture('anthropic', 'stream-thinking.sse'));
    const blocks = collect(events);
    expect(blocks.get(0)).toBe('27 * 453 = 27*400 + 27*53 = 10800 + 1431 = 12231.');
    expect(blocks.get(1)).toBe('27 × 453 = 12,231');
    expect(events).toContainEqual({ type: 'thinking_delta', index: 0, text: '', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' });
    expect(events.filter((e) => e.type === 'block_stop')).toEqual([{ type: 'block_stop', index: 0 }, { type: 'block_stop', index: 1 }]);
    expect(events.filter((e) => e.type === 'usage').pop()).toEqual({
      type: 'usage', usage: { input_tokens: 46, output_tokens: 312, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 },
    });
  });

  it('turns a mid-stream error event into an error and ignores what follows', () => {
    const events = runStream(new AnthropicStreamParser('claude'), readFixture('anthropic', 'stream-overloaded.sse'));
    expect(events[events.length - 1]).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
  });

  it('reports a stream cut off before message_delta as an error', () => {
    const text = readFixture('anthropic', 'stream-text.sse');
    const events = runStream(new AnthropicStreamParser('claude'), text.slice(0, text.indexOf('event: content_block_stop')));
    expect(events.slice(-2)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'error', error: { type: 'upstream_error', message: 'upstream stream ended before the response finished' } },
    ]);
  });
});
