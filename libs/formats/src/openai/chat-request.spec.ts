import { GatewayError } from '@gatehouse/contracts';
import { decodeOpenAIChat } from './chat-request';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function errorOf(body: unknown): GatewayError {
  try {
    decodeOpenAIChat(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected decodeOpenAIChat to throw');
}

const base = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

describe('decodeOpenAIChat', () => {
  it('decodes a multi-turn conversation with images, parallel tool calls and their results', () => {
    const { request, includeUsage } = decodeOpenAIChat({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather where this photo was taken, and in Oslo?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          refusal: null,
          annotations: [],
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18C sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '9C rain' }] },
        { role: 'assistant', content: 'Paris 18C, Oslo 9C.' },
        { role: 'user', content: 'Thanks', name: 'ana' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            strict: true,
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: true,
      stream: true,
      stream_options: { include_usage: true },
      stop: 'END',
      max_tokens: 100,
      max_completion_tokens: 200,
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      user: 'u-1',
      reasoning_effort: 'low',
      n: 1,
      logprobs: false,
      store: false,
      metadata: { feature: 'chat' },
    });

    expect(includeUsage).toBe(true);
    expect(request.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Use metric units.' },
    ]);
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather where this photo was taken, and in Oslo?' },
          { type: 'image', source: { kind: 'base64', media_type: 'image/png', data: PNG }, detail: 'low' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/a.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'tool_call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { type: 'tool_call', id: 'call_2', name: 'weather', arguments: '{"city":"Oslo"}' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_call_id: 'call_1', content: [{ type: 'text', text: '18C sunny' }] },
          { type: 'tool_result', tool_call_id: 'call_2', content: [{ type: 'text', text: '9C rain' }] },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Paris 18C, Oslo 9C.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
    expect(request.tools).toEqual([
      {
        name: 'weather',
        description: 'Current weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        strict: true,
      },
    ]);
    expect(request).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      tool_choice: { type: 'tool', name: 'weather' },
      parallel_tool_calls: true,
      stop: ['END'],
      max_tokens: 200,
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      user: 'u-1',
      reasoning_effort: 'low',
      n: 1,
    });
  });

  it('maps response_format and the string tool_choice values', () => {
    const { request, includeUsage } = decodeOpenAIChat({
      ...base,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
      },
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: 'required',
      stream_options: { include_usage: true },
    });
    expect(request.response_format).toEqual({ type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true });
    expect(request.tool_choice).toEqual({ type: 'required' });
    expect(request.tools?.[0]?.parameters).toEqual({ type: 'object', properties: {} });
    expect(includeUsage).toBe(false);
    expect(decodeOpenAIChat({ ...base, response_format: { type: 'json_object' } }).request.response_format).toEqual({
      type: 'json_object',
    });
  });

  it('keeps assistant reasoning_content as a thinking part and a lone tool result as its own user message', () => {
    const { request } = decodeOpenAIChat({
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', reasoning_content: 'let me think', content: '', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c', content: 'r' },
        { role: 'user', content: 'next' },
      ],
    });
    expect(request.messages.map((m) => m.content.map((p) => p.type))).toEqual([
      ['text'],
      ['thinking', 'tool_call'],
      ['tool_result'],
      ['text'],
    ]);
  });

  it.each([
    [{ ...base, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 5 }] }, 'messages[2].content', 'expected a string or an array of content parts'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] }, 'messages[0].content[0].text', 'expected string'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] }, 'messages[0].content[0].type', 'expected one of "text", "image_url"'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }, 'messages[0].content[0]', 'audio input is not supported'],
    [{ ...base, messages: [{ role: 'function', name: 'f', content: 'x' }] }, 'messages[0].role', 'expected one of'],
    [{ ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', 'is required'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }, 'messages[0].content[0].image_url.url', 'expected an http(s) URL or a base64 data: URL'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,abc' } }] }] }, 'messages[0].content[0].image_url.url', 'base64'],
    [{ ...base, messages: [] }, 'messages', 'expected array to have >=1 items'],
    [{ messages: base.messages }, 'model', 'is required'],
    [{ ...base, n: 129 }, 'n', '<=128'],
    [{ ...base, audio: { voice: 'alloy', format: 'wav' } }, 'audio', 'audio output is not supported'],
    [{ ...base, modalities: ['text', 'audio'] }, 'modalities[1]', 'output modalities other than text'],
    [{ ...base, logit_bias: { '50256': -100 } }, 'logit_bias', 'logit_bias is not supported'],
    [{ ...base, logprobs: true }, 'logprobs', 'logprobs is not supported'],
    [{ ...base, top_logprobs: 3 }, 'top_logprobs', 'top_logprobs is not supported'],
    [{ ...base, prediction: { type: 'content', content: 'x' } }, 'prediction', 'prediction is not supported'],
    [{ ...base, store: true }, 'store', 'store = true is not supported'],
    [{ ...base, service_tier: 'flex' }, 'service_tier', 'service_tier other than auto/default'],
    [{ ...base, functions: [{ name: 'f' }] }, 'functions', 'deprecated; use tools'],
    [{ ...base, frobnicate: 1 }, 'frobnicate', 'unknown parameter'],
    [{ ...base, temperature: 3 }, 'temperature', 'expected number to be <=2'],
    [{ ...base, tool_choice: 'sometimes', tools: [{ type: 'function', function: { name: 'f' } }] }, 'tool_choice', 'expected "auto", "none", "required"'],
    [{ ...base, tool_choice: 'required' }, 'tool_choice', 'requires tools'],
    [{ ...base, response_format: { type: 'json_schema' } }, 'response_format.json_schema', 'is required'],
    [{ ...base, tools: [{ type: 'function', function: { description: 'no name' } }] }, 'tools[0].function.name', 'is required'],
    [{ ...base, messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] }] }, 'messages[0].tool_calls[0].function.arguments', 'expected string'],
  ])('rejects a bad body with a 400 naming the field (%#)', (body, param, message) => {
    const err = errorOf(body);
    expect(err.status).toBe(400);
    expect(err.type).toBe('invalid_request_error');
    expect(err.param).toBe(param);
    expect(err.message.startsWith(`${param}: `)).toBe(true);
    expect(err.message).toContain(message);
  });

  it('rejects a body that is not an object', () => {
    expect(errorOf('hello').message).toContain('expected object');
    expect(errorOf(null).status).toBe(400);
  });
});

describe('decodeOpenAIChat tolerates what the SDKs send', () => {
  it('reads null for every optional field, and keeps nulls inside JSON schemas', () => {
    const { request } = decodeOpenAIChat({
      model: 'gpt',
      messages: [
        { role: 'user', content: 'hi', name: null },
        { role: 'assistant', content: null, refusal: null, audio: null, function_call: null, annotations: [], tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'done' },
      ],
      tools: [{ type: 'function', function: { name: 'f', description: null, parameters: { type: 'object', properties: { a: { default: null } } }, strict: null } }],
      tool_choice: null,
      temperature: null,
      stop: null,
      n: null,
      response_format: null,
      stream_options: null,
      max_completion_tokens: null,
      max_tokens: 12,
      metadata: null,
    });
    expect(request.max_tokens).toBe(12);
    expect(request.tools![0]).toEqual({ name: 'f', parameters: { type: 'object', properties: { a: { default: null } } } });
    expect(request.messages.map((m) => m.content.map((p) => p.type))).toEqual([['text'], ['tool_call'], ['tool_result']]);
  });
});

