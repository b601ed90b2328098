import { readFixture } from '../shared/testing';
import { parseMessage } from './response';

describe('anthropic parseMessage', () => {
  it('counts cache reads into canonical input tokens', () => {
    const r = parseMessage(readFixture('anthropic', 'message-text-cached.json'), 'claude');
    expect(r).toMatchObject({ id: 'msg_01XFDUDYJgAACzvnptvVoYEL', model: 'claude-sonnet-4-20250514', stop_reason: 'end_turn', stop_sequence: null });
    expect(r.content).toEqual([{ type: 'text', text: "Hello! It's nice to meet you. How can I help you today?" }]);
    expect(r.usage).toEqual({ input_tokens: 2060, output_tokens: 18, cache_read_tokens: 2048, cache_write_tokens: 0, reasoning_tokens: 0 });
  });

  it('reads text plus two tool calls and counts cache writes into input', () => {
    const r = parseMessage(readFixture('anthropic', 'message-tool-use.json'), 'claude');
    expect(r.stop_reason).toBe('tool_use');
    expect(r.content).toEqual([
      { type: 'text', text: "I'll check the weather in both cities." },
      { type: 'tool_call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
      { type: 'tool_call', id: 'toolu_01B12x34yz56ab789cd0ef1', name: 'get_weather', arguments: '{"location":"New York, NY","unit":"celsius"}' },
    ]);
    expect(r.usage).toMatchObject({ input_tokens: 1972, cache_write_tokens: 1500 });
  });

  it('keeps signed thinking, skips redacted thinking, maps max_tokens', () => {
    const r = parseMessage(readFixture('anthropic', 'message-thinking.json'), 'claude');
    expect(r.stop_reason).toBe('max_tokens');
    expect(r.content.map((c) => c.type)).toEqual(['thinking', 'text']);
    expect(r.content[0]).toMatchObject({ signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...' });
  });
});
