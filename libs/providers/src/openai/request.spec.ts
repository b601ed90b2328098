import type { CanonicalRequest } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import { buildChatBody, passthroughBody } from './request';

const base = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'client-model',
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  ...over,
});

describe('openai buildChatBody', () => {
  it('maps sampling, limits and identity fields', () => {
    const body = buildChatBody(base({
      max_tokens: 100, temperature: 0.2, top_p: 0.9, stop: ['END'], seed: 7,
      presence_penalty: 0.1, frequency_penalty: 0.3, user: 'u-1', reasoning_effort: 'high',
    }), 'gpt-4o-mini');
    expect(body).toMatchObject({
      model: 'gpt-4o-mini', max_completion_tokens: 100, temperature: 0.2, top_p: 0.9, stop: ['END'], seed: 7,
      presence_penalty: 0.1, frequency_penalty: 0.3, user: 'u-1', reasoning_effort: 'high',
    });
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('builds system, images, assistant tool calls and tool results in OpenAI order', () => {
    const body = buildChatBody(base({
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [
          { type: 'text', text: 'What is here?' },
          { type: 'image', source: { kind: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
        ] },
        { role: 'assistant', content: [
          { type: 'thinking', text: 'hidden', signature: 'sig' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_call', id: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' },
        ] },
        { role: 'user', content: [
          { type: 'tool_result', tool_call_id: 'call_1', content: [{ type: 'text', text: 'a cat' }] },
          { type: 'text', text: 'thanks' },
        ] },
      ],
    }), 'gpt-4o');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [
        { type: 'text', text: 'What is here?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
      ] },
      { role: 'assistant', content: 'Checking.', tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } },
      ] },
      { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('maps tools, tool_choice, parallel_tool_calls and json_schema response format', () => {
    const body = buildChatBody(base({
      tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } }],
      tool_choice: { type: 'tool', name: 'get_weather' },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
    }), 'gpt-4o');
    expect(body.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } } }]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(body.parallel_tool_calls).toBe(false);
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } });
  });

  it('does not send tool_choice or parallel_tool_calls without tools (OpenAI rejects them)', () => {
    const body = buildChatBody(base({ tool_choice: { type: 'none' }, parallel_tool_calls: true }), 'gpt-4o');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('always asks for usage on streams', () => {
    const body = buildChatBody(base({ stream: true }), 'gpt-4o');
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('maps a thinking budget to reasoning_effort unless one is given', () => {
    expect(buildChatBody(base({ thinking: { budget_tokens: 2000 } }), 'o3').reasoning_effort).toBe('low');
    expect(buildChatBody(base({ thinking: { budget_tokens: 10000 } }), 'o3').reasoning_effort).toBe('medium');
    expect(buildChatBody(base({ thinking: { budget_tokens: 32000 } }), 'o3').reasoning_effort).toBe('high');
    expect(buildChatBody(base({ thinking: { budget_tokens: 32000 }, reasoning_effort: 'minimal' }), 'o3').reasoning_effort).toBe('minimal');
  });

  it('rejects top_k, a streamed n>1 and images in tool results with a 400 naming the field', () => {
    const expect400 = (req: CanonicalRequest, param: string) => {
      try {
        buildChatBody(req, 'gpt-4o');
        throw new Error('expected a GatewayError');
      } catch (e) {
        expect(e).toBeInstanceOf(GatewayError);
        expect((e as GatewayError).status).toBe(400);
        expect((e as GatewayError).param).toBe(param);
      }
    };
    expect400(base({ top_k: 40 }), 'top_k');
    expect400(base({ n: 2, stream: true }), 'n');
    expect400(base({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_call_id: 'c', content: [
      { type: 'image', source: { kind: 'url', url: 'https://example.com/x.png' } },
    ] }] }] }), 'messages.content.tool_result.image');
  });
});

describe('openai passthroughBody', () => {
  it('replaces the model and forces usage on streams, keeping the client stream_options', () => {
    const body = { model: 'alias', messages: [], stream: true, stream_options: { include_obfuscation: false }, logprobs: true };
    expect(passthroughBody(body, 'gpt-4o-mini')).toEqual({
      model: 'gpt-4o-mini', messages: [], stream: true, logprobs: true,
      stream_options: { include_obfuscation: false, include_usage: true },
    });
    expect(body.model).toBe('alias');
  });

  it('leaves non-streaming bodies without stream_options', () => {
    expect(passthroughBody({ model: 'a', messages: [] }, 'b')).toEqual({ model: 'b', messages: [] });
  });
});
