import type { CanonicalRequest } from '@gatehouse/formats';
import { encodeOpenAIChat } from '@gatehouse/formats';
import { buildChatBody } from '../openai/request';
import { parseChatCompletion } from '../openai/response';
import { buildGeminiRequest } from '../gemini/request';
import { parseGeminiResponse } from '../gemini/response';
import { createMockProvider } from '../mock/mock.provider';

/** n > 1 across the translated paths: honoured where the provider returns several choices, else a 400 naming `n`. */
const req = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'm', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'Name a colour.' }] }], stream: false, n: 2, ...over,
});
const choice = (text: string, finish = 'stop') => ({ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish });

describe('n > 1 (several choices)', () => {
  it('OpenAI: sends n, reads every choice, and the client gets them all back with their indices', () => {
    expect(buildChatBody(req(), 'gpt-4o-mini')).toMatchObject({ n: 2 });
    const res = parseChatCompletion(JSON.stringify({ id: 'c', choices: [choice('Red'), choice('Blue and', 'length')], usage: { prompt_tokens: 5, completion_tokens: 4 } }), 'gpt-4o-mini');
    expect(res.content).toEqual([{ type: 'text', text: 'Red' }]);
    expect(res.alternatives).toEqual([{ content: [{ type: 'text', text: 'Blue and' }], stop_reason: 'max_tokens' }]);
    const out = encodeOpenAIChat(res, { id: 'chatcmpl-1', model: 'alias', created: 1 }) as { choices: Array<{ index: number; message: { content: string }; finish_reason: string }> };
    expect(out.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([[0, 'Red', 'stop'], [1, 'Blue and', 'length']]);
  });

  it('OpenAI: a translated stream with n > 1 is a 400 naming n (the canonical stream has one choice)', () => {
    expect(() => buildChatBody(req({ stream: true }), 'gpt-4o-mini')).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining('pass-through') }));
    expect(() => buildChatBody(req({ stream: true }), 'gpt-4o-mini')).toThrow(/^"n" is not supported by provider type /);
  });

  it('Gemini: n becomes candidateCount, every candidate a choice; streamed, a 400 naming n', () => {
    expect(buildGeminiRequest(req({ n: 3 }), 'gemini-2.5-flash').generationConfig).toEqual({ candidateCount: 3 });
    expect(() => buildGeminiRequest(req({ stream: true }), 'gemini-2.5-flash')).toThrow(/^"n" is not supported by provider type /);
    const body = {
      candidates: [
        { content: { role: 'model', parts: [{ text: 'Red' }] }, finishReason: 'STOP', index: 0 },
        { content: { role: 'model', parts: [{ functionCall: { name: 'pick', args: { c: 'blue' } } }] }, finishReason: 'STOP', index: 1 },
      ],
      usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 6 },
      responseId: 'r1',
    };
    const res = parseGeminiResponse(JSON.stringify(body), 'gemini-2.5-flash');
    expect(res.content).toEqual([{ type: 'text', text: 'Red' }]);
    expect(res.alternatives).toEqual([{ content: [{ type: 'tool_call', id: expect.stringMatching(/^call_/), name: 'pick', arguments: '{"c":"blue"}' }], stop_reason: 'tool_use' }]);
  });

  it('mock: n choices without stream (usage counts all), a 400 naming n when streamed', () => {
    const mock = createMockProvider();
    const one = mock.complete(req({ n: undefined }), 'mock-1');
    const three = mock.complete(req({ n: 3 }), 'mock-1');
    expect(three.alternatives).toHaveLength(2);
    expect(three.alternatives![0].content).toEqual(three.content);
    expect(three.usage.output_tokens).toBe(one.usage.output_tokens * 3);
    expect(() => mock.stream(req({ stream: true }), 'mock-1')).toThrow(/^"n" is not supported by provider type /);
  });
});
