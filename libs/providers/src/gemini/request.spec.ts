import type { CanonicalRequest } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import { buildGeminiRequest, SKIP_SIGNATURE } from './request';

const base = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'gemini',
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
  stream: false,
  ...over,
});

const toolConversation: CanonicalRequest['messages'] = [
  { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and London?' }] },
  {
    role: 'assistant',
    content: [
      { type: 'tool_call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'tool_call', id: 'call_b', name: 'get_time', arguments: '{"city":"London"}' },
    ],
  },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_call_id: 'call_b', content: [{ type: 'text', text: '{"time":"10:00"}' }] },
      { type: 'tool_result', tool_call_id: 'call_a', content: [{ type: 'text', text: 'sunny, 21C' }] },
    ],
  },
];

describe('buildGeminiRequest', () => {
  it('maps system, roles and generation settings', () => {
    const body = buildGeminiRequest(base({
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
      ],
      max_tokens: 256, temperature: 0.2, top_p: 0.9, top_k: 40, stop: ['END'],
    }), 'gemini-2.0-flash');
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Hello!' }] },
    ]);
    expect(body.generationConfig).toEqual({ maxOutputTokens: 256, temperature: 0.2, topP: 0.9, topK: 40, stopSequences: ['END'] });
  });

  it('maps tool results back to function names through the earlier tool calls', () => {
    const body = buildGeminiRequest(base({ messages: toolConversation }), 'gemini-2.5-flash');
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
        { functionCall: { name: 'get_time', args: { city: 'London' } } },
      ],
    });
    expect(body.contents[2].parts).toEqual([
      { functionResponse: { name: 'get_time', response: { time: '10:00' } } },
      { functionResponse: { name: 'get_weather', response: { result: 'sunny, 21C' } } },
    ]);
  });

  it('rejects a tool result whose id matches no tool call', () => {
    const messages: CanonicalRequest['messages'] = [
      { role: 'user', content: [{ type: 'tool_result', tool_call_id: 'nope', content: [{ type: 'text', text: 'x' }] }] },
    ];
    expect(() => buildGeminiRequest(base({ messages }), 'm')).toThrow(/matches no earlier tool call/);
  });

  it('replays thought signatures, and uses the sentinel on Gemini 3 when the client lost them', () => {
    const signed: CanonicalRequest['messages'] = [
      toolConversation[0],
      { role: 'assistant', content: [{ type: 'thinking', text: '', signature: 'SIG' }, ...toolConversation[1].content] },
      toolConversation[2],
    ];
    const withSig = buildGeminiRequest(base({ messages: signed }), 'gemini-2.5-pro').contents[1].parts;
    expect(withSig[0]).toEqual({ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'SIG' });
    expect(withSig[1]).not.toHaveProperty('thoughtSignature');
    const g3 = buildGeminiRequest(base({ messages: toolConversation }), 'gemini-3-pro-preview').contents[1].parts;
    expect(g3[0]).toHaveProperty('thoughtSignature', SKIP_SIGNATURE);
    expect(g3[1]).not.toHaveProperty('thoughtSignature');
  });

  it('sends images as inlineData or fileData and refuses other URLs', () => {
    const body = buildGeminiRequest(base({
      messages: [{
        role: 'user',
        content: [
          { type: 'image', source: { kind: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.webp' } },
          { type: 'image', source: { kind: 'url', url: 'gs://bucket/dog.png' } },
        ],
      }],
    }), 'm');
    expect(body.contents[0].parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp' } },
      { fileData: { mimeType: 'image/png', fileUri: 'gs://bucket/dog.png' } },
    ]);
    const bad = () => buildGeminiRequest(base({
      messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'http://10.0.0.1/x.png' } }] }],
    }), 'm');
    expect(bad).toThrow(GatewayError);
    expect(bad).toThrow(/not supported by provider type gemini/);
  });

  it('cleans tool schemas of keys Gemini rejects and maps tool choice', () => {
    const body = buildGeminiRequest(base({
      tools: [
        {
          name: 'search',
          description: 'Search docs',
          parameters: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            additionalProperties: false,
            properties: {
              query: { type: 'string', minLength: 1 },
              limit: { type: ['integer', 'null'] },
              filter: { $ref: '#/$defs/Filter' },
            },
            required: ['query'],
            $defs: { Filter: { type: 'object', additionalProperties: false, properties: { lang: { const: 'en' } } } },
          },
        },
        { name: 'ping', parameters: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'tool', name: 'search' },
    }), 'm');
    expect(body.tools).toEqual([{
      functionDeclarations: [
        {
          name: 'search',
          description: 'Search docs',
          parameters: {
            type: 'object',
            required: ['query'],
            properties: {
              query: { type: 'string', minLength: 1 },
              limit: { type: 'integer', nullable: true },
              filter: { type: 'object', properties: { lang: { enum: ['en'] } } },
            },
          },
        },
        { name: 'ping' },
      ],
    }]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['search'] } });
    expect(buildGeminiRequest(base({ tools: [{ name: 'ping', parameters: {} }], tool_choice: { type: 'required' } }), 'm').toolConfig)
      .toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(buildGeminiRequest(base({ tools: [{ name: 'ping', parameters: {} }], tool_choice: { type: 'none' } }), 'm').toolConfig)
      .toEqual({ functionCallingConfig: { mode: 'NONE' } });
  });

  it('maps json_schema output and thinking budgets', () => {
    const body = buildGeminiRequest(base({
      response_format: { type: 'json_schema', name: 'answer', schema: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } },
      thinking: { budget_tokens: 2048 },
    }), 'm');
    expect(body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { a: { type: 'string' } } },
      thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
    });
  });

  it('refuses a streamed n > 1 (n without stream is candidateCount: shared/choices.spec.ts)', () => {
    expect(() => buildGeminiRequest(base({ n: 2, stream: true }), 'm')).toThrow(/"n" is not supported/);
  });
});
