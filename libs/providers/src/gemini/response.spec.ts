import { parseGeminiEmbeddingsResponse, parseGeminiResponse } from './response';
import { geminiFixture } from './fixture';

describe('parseGeminiResponse', () => {
  it('maps text, model version, response id and usage with cached and thinking tokens', () => {
    const res = parseGeminiResponse(geminiFixture('text.response.json'), 'gemini-flash-latest');
    expect(res.id).toBe('m0SFaO7dLZ6Tz7IPz5yJyAU');
    expect(res.model).toBe('gemini-2.5-flash');
    expect(res.content).toEqual([{ type: 'text', text: "The capital of France is **Paris**. It has been the country's capital since 987 AD." }]);
    expect(res.stop_reason).toBe('end_turn');
    expect(res.usage).toEqual({ input_tokens: 2079, output_tokens: 21 + 312, cache_read_tokens: 2048, cache_write_tokens: 0, reasoning_tokens: 312 });
  });

  it('turns two parallel function calls into tool_use with distinct stable ids and JSON arguments', () => {
    const body = geminiFixture('parallel-calls.response.json');
    const res = parseGeminiResponse(body, 'gemini-2.5-pro');
    expect(res.stop_reason).toBe('tool_use');
    const calls = res.content.filter((c) => c.type === 'tool_call');
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.type === 'tool_call' && JSON.parse(c.arguments))).toEqual([
      { city: 'Paris', unit: 'celsius' },
      { city: 'London', unit: 'celsius' },
    ]);
    const ids = calls.map((c) => (c.type === 'tool_call' ? c.id : ''));
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => /^call_[0-9a-f]{24}$/.test(id))).toBe(true);
    const again = parseGeminiResponse(body, 'gemini-2.5-pro').content.filter((c) => c.type === 'tool_call');
    expect(again.map((c) => (c.type === 'tool_call' ? c.id : ''))).toEqual(ids);
  });

  it('keeps the thought signature on a thinking part just before the call it belongs to', () => {
    const res = parseGeminiResponse(geminiFixture('parallel-calls.response.json'), 'gemini-2.5-pro');
    expect(res.content[0]).toEqual({ type: 'thinking', text: '', signature: 'CiQB0e2Kb8mqP7wz2tZ8Yp6x3vVfX0n4uN1Q0m9bYc2kq1sTz8E=' });
    expect(res.content[1].type).toBe('tool_call');
  });

  it('returns thought summaries as thinking and the answer as text', () => {
    const res = parseGeminiResponse(geminiFixture('thoughts.response.json'), 'gemini-2.5-flash');
    expect(res.content[0].type).toBe('thinking');
    expect(res.content[0].type === 'thinking' && res.content[0].text).toContain('multiply 17 by 23');
    expect(res.content[res.content.length - 1]).toEqual({ type: 'text', text: '17 × 23 = 391' });
    expect(res.usage.reasoning_tokens).toBe(124);
    expect(res.usage.output_tokens).toBe(133);
  });

  it('maps MAX_TOKENS, SAFETY and a blocked prompt', () => {
    expect(parseGeminiResponse(geminiFixture('max-tokens.response.json'), 'm').stop_reason).toBe('max_tokens');
    const safety = parseGeminiResponse(geminiFixture('safety.response.json'), 'm');
    expect(safety.stop_reason).toBe('content_filter');
    expect(safety.content).toEqual([]);
    const blocked = parseGeminiResponse(geminiFixture('prompt-blocked.response.json'), 'm');
    expect(blocked.stop_reason).toBe('content_filter');
    expect(blocked.usage.input_tokens).toBe(31);
  });

  it('rejects a body that is not a Gemini response with a 502', () => {
    expect(() => parseGeminiResponse('<html>bad gateway</html>', 'm')).toThrow(expect.objectContaining({ status: 502 }));
  });
});

describe('parseGeminiEmbeddingsResponse', () => {
  it('returns one vector per input in order', () => {
    const res = parseGeminiEmbeddingsResponse(geminiFixture('embeddings.response.json'), 'gemini-embedding-001');
    expect(res.data).toEqual([[0.0123, -0.0456, 0.0789, 0.0012], [-0.0311, 0.0222, 0.0005, -0.0917]]);
    expect(res.model).toBe('gemini-embedding-001');
  });
});
