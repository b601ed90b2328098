import type { CanonicalRequest } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import { buildMessagesBody, passthroughBody } from './request';

const base = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'alias', system: [], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false, ...over,
});
const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];

describe('anthropic buildMessagesBody', () => {
  it('defaults max_tokens to 4096 and maps sampling, stop and user', () => {
    const b = buildMessagesBody(base({ temperature: 0.5, top_p: 0.9, top_k: 10, stop: ['###'], user: 'u-7', stream: true }), 'claude-sonnet-4-20250514');
    expect(b).toEqual({
      model: 'claude-sonnet-4-20250514', max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      temperature: 0.5, top_p: 0.9, top_k: 10, stop_sequences: ['###'], metadata: { user_id: 'u-7' }, stream: true,
    });
  });

  it('keeps cache_control on system blocks, tools, text and tool results', () => {
    const cc = { type: 'ephemeral' as const };
    const b = buildMessagesBody(base({
      system: [{ type: 'text', text: 'Long policy', cache_control: cc }, { type: 'text', text: 'Be brief' }],
      tools: [{ ...tools[0], description: 'Weather', cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'doc', cache_control: cc }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'user', content: [{ type: 'tool_result', tool_call_id: 'toolu_1', is_error: true, cache_control: cc, content: [{ type: 'text', text: 'timeout' }] }] },
      ],
    }), 'claude');
    expect(b.system).toEqual([{ type: 'text', text: 'Long policy', cache_control: cc }, { type: 'text', text: 'Be brief' }]);
    expect(b.tools).toEqual([{ name: 'get_weather', description: 'Weather', input_schema: tools[0].parameters, cache_control: { type: 'ephemeral', ttl: '1h' } }]);
    expect(b.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'doc', cache_control: cc }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true, cache_control: cc, content: [{ type: 'text', text: 'timeout' }] }] },
    ]);
  });

  it('sends base64 and url images', () => {
    const b = buildMessagesBody(base({ messages: [{ role: 'user', content: [
      { type: 'image', source: { kind: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' }, detail: 'high' },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
    ] }] }), 'claude');
    expect((b.messages as Array<{ content: unknown }>)[0].content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
    ]);
  });

  it('maps tool_choice and parallel_tool_calls=false', () => {
    const tc = (over: Partial<CanonicalRequest>) => buildMessagesBody(base({ tools, ...over }), 'claude').tool_choice;
    expect(tc({ tool_choice: { type: 'required' } })).toEqual({ type: 'any' });
    expect(tc({ tool_choice: { type: 'none' } })).toEqual({ type: 'none' });
    expect(tc({ tool_choice: { type: 'tool', name: 'get_weather' }, parallel_tool_calls: false }))
      .toEqual({ type: 'tool', name: 'get_weather', disable_parallel_tool_use: true });
    expect(tc({ parallel_tool_calls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(tc({})).toBeUndefined();
  });

  it('enables thinking with room for the answer, from a budget or a reasoning effort', () => {
    expect(buildMessagesBody(base({ thinking: { budget_tokens: 10000 } }), 'claude')).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 10000 }, max_tokens: 14096,
    });
    expect(buildMessagesBody(base({ reasoning_effort: 'medium', max_tokens: 20000 }), 'claude')).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 8192 }, max_tokens: 20000,
    });
  });

  it('sends back signed thinking and leaves out unsigned reasoning from other providers', () => {
    const b = buildMessagesBody(base({ messages: [
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'thinking', text: 'signed', signature: 'sig1' }, { type: 'thinking', text: 'foreign' }, { type: 'text', text: 'a' }] },
    ] }), 'claude');
    expect((b.messages as Array<{ content: unknown }>)[1].content).toEqual([
      { type: 'thinking', thinking: 'signed', signature: 'sig1' }, { type: 'text', text: 'a' },
    ]);
  });

  it('rejects what Anthropic cannot honour with a 400 naming the field', () => {
    const param = (req: CanonicalRequest) => {
      try {
        buildMessagesBody(req, 'claude');
      } catch (e) {
        expect(e).toBeInstanceOf(GatewayError);
        expect((e as GatewayError).status).toBe(400);
        return (e as GatewayError).param;
      }
      return 'no error';
    };
    expect(param(base({ n: 2 }))).toBe('n');
    expect(param(base({ seed: 1 }))).toBe('seed');
    expect(param(base({ frequency_penalty: 0.5 }))).toBe('frequency_penalty');
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    expect(param(base({ response_format: { type: 'json_object' }, tools }))).toBe('response_format.json_object');
    expect(param(base({ response_format: { type: 'json_schema', name: 'x', schema: {} }, thinking: { budget_tokens: 2000 } }))).toBe('response_format.json_schema');
    expect(param(base({ messages: [{ role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'f', arguments: '{oops' }] }] })))
      .toBe('messages.content.tool_call.arguments');
    expect(param(base({ n: 1, response_format: { type: 'text' } }))).toBe('no error');
  });
});

describe('anthropic passthroughBody', () => {
  it('replaces only the model', () => {
    const body = { model: 'alias', max_tokens: 10, messages: [], stream: true };
    expect(passthroughBody(body, 'claude-3-5-haiku-20241022')).toEqual({ ...body, model: 'claude-3-5-haiku-20241022' });
  });
});

describe('anthropic structured output through a forced tool', () => {
  it('turns a json_schema response_format into one tool with that input_schema, forced', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const body = buildMessagesBody(
      { model: 'm', system: [], stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'json please' }] }], response_format: { type: 'json_schema', name: 'place', schema } },
      'claude',
    );
    expect(body.tools).toEqual([{ name: 'gatehouse_structured_output', input_schema: schema, description: expect.stringContaining('place') }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'gatehouse_structured_output' });
  });
});

