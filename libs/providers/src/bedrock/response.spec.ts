import { parseConverseResponse } from './response';
import { bedrockFixture } from './fixture';

const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

describe('parseConverseResponse', () => {
  it('maps text and counts cache reads into total input', () => {
    const res = parseConverseResponse(bedrockFixture('text.response.json'), MODEL);
    expect(res.model).toBe(MODEL);
    expect(res.id).toMatch(/^msg_bdrk_[0-9a-f]{32}$/);
    expect(res.content).toEqual([{ type: 'text', text: 'Paris is the capital of France.' }]);
    expect(res.stop_reason).toBe('end_turn');
    expect(res.usage).toEqual({ input_tokens: 14 + 1824, output_tokens: 10, cache_read_tokens: 1824, cache_write_tokens: 0, reasoning_tokens: 0 });
  });

  it('maps two parallel tool uses with their ids and JSON arguments, and counts cache writes', () => {
    const res = parseConverseResponse(bedrockFixture('parallel-tools.response.json'), MODEL);
    expect(res.stop_reason).toBe('tool_use');
    expect(res.content).toEqual([
      { type: 'text', text: "I'll check the weather in both cities." },
      { type: 'tool_call', id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      { type: 'tool_call', id: 'tooluse_3mB8r0xWQYuYk2iS9eZf1A', name: 'get_weather', arguments: '{"city":"London","unit":"celsius"}' },
    ]);
    expect(res.usage.input_tokens).toBe(402 + 1290);
    expect(res.usage.cache_write_tokens).toBe(1290);
  });

  it('keeps reasoning text with its signature', () => {
    const res = parseConverseResponse(bedrockFixture('reasoning.response.json'), MODEL);
    expect(res.content[0]).toEqual({
      type: 'thinking',
      text: '17 × 23: 17×20 = 340, 17×3 = 51, total 391.',
      signature: 'EqoBCkgIARABGAIiQL2x8QmNf1r3dS6Y0KZp9yZ5v6HhPq1Yp4oW2sQ1c9cT0aLm3b8Fj0xN5wJ7uVtR6eYd2iKzA==',
    });
    expect(res.content[1]).toEqual({ type: 'text', text: '17 × 23 = 391.' });
  });

  it('maps max_tokens and guardrail interventions', () => {
    expect(parseConverseResponse(bedrockFixture('max-tokens.response.json'), MODEL).stop_reason).toBe('max_tokens');
    expect(parseConverseResponse(bedrockFixture('guardrail.response.json'), MODEL).stop_reason).toBe('content_filter');
  });

  it('rejects a body that is not a Converse response with a 502', () => {
    expect(() => parseConverseResponse('{"Output":{"__type":"x"}}', MODEL)).toThrow(expect.objectContaining({ status: 502 }));
  });
});
