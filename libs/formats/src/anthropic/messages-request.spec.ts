import { GatewayError } from '@gatehouse/contracts';
import { decodeAnthropicMessages } from './messages-request';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const base = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] };

function errorOf(body: unknown): GatewayError {
  try {
    decodeAnthropicMessages(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected decodeAnthropicMessages to throw');
}

describe('decodeAnthropicMessages', () => {
  it('decodes a multi-turn conversation with cached system, images, thinking, tools and results', () => {
    const { request } = decodeAnthropicMessages({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Long policy text', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG }, cache_control: { type: 'ephemeral' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
            { type: 'text', text: 'Weather here and in Oslo?' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two lookups.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'text', text: 'Looking up.', citations: null },
            { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Oslo' }, cache_control: { type: 'ephemeral' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18C' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              is_error: true,
              content: [{ type: 'text', text: 'timeout' }],
              cache_control: { type: 'ephemeral' },
            },
            { type: 'tool_result', tool_use_id: 'toolu_3' },
          ],
        },
      ],
      tools: [
        {
          name: 'weather',
          description: 'Current weather',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
          cache_control: { type: 'ephemeral' },
        },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stop_sequences: ['###'],
      temperature: 0.3,
      top_p: 0.8,
      top_k: 40,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      metadata: { user_id: 'user-9' },
    });
    expect(request.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Long policy text', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { kind: 'base64', media_type: 'image/png', data: PNG }, cache_control: { type: 'ephemeral' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/a.jpg' } },
          { type: 'text', text: 'Weather here and in Oslo?' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', text: 'Two lookups.', signature: 'sig-1' },
          { type: 'thinking', text: '', signature: 'opaque', redacted: true },
          { type: 'text', text: 'Looking up.' },
          { type: 'tool_call', id: 'toolu_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { type: 'tool_call', id: 'toolu_2', name: 'weather', arguments: '{"city":"Oslo"}' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_call_id: 'toolu_1', content: [{ type: 'text', text: '18C' }] },
          {
            type: 'tool_result',
            tool_call_id: 'toolu_2',
            is_error: true,
            content: [{ type: 'text', text: 'timeout' }],
            cache_control: { type: 'ephemeral' },
          },
          { type: 'tool_result', tool_call_id: 'toolu_3', content: [] },
        ],
      },
    ]);
    expect(request.tools).toEqual([
      {
        name: 'weather',
        description: 'Current weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
        cache_control: { type: 'ephemeral' },
      },
    ]);
    expect(request).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream: true,
      tool_choice: { type: 'required' },
      parallel_tool_calls: false,
      stop: ['###'],
      temperature: 0.3,
      top_p: 0.8,
      top_k: 40,
      thinking: { budget_tokens: 2048 },
      user: 'user-9',
    });
  });

  it('maps a string system and content, and the other tool_choice types', () => {
    const { request } = decodeAnthropicMessages({ ...base, system: 'Be brief.', tool_choice: { type: 'tool', name: 'f' } });
    expect(request.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
    expect(request.tool_choice).toEqual({ type: 'tool', name: 'f' });
    expect(request.parallel_tool_calls).toBeUndefined();
    expect(request.stream).toBe(false);
    expect(decodeAnthropicMessages({ ...base, tool_choice: { type: 'none' } }).request.tool_choice).toEqual({ type: 'none' });
    expect(decodeAnthropicMessages({ ...base, tool_choice: { type: 'auto' } }).request.tool_choice).toEqual({ type: 'auto' });
    expect(decodeAnthropicMessages({ ...base, thinking: { type: 'disabled' } }).request.thinking).toBeUndefined();
  });

  it.each([
    [{ model: 'm', messages: base.messages }, 'max_tokens', 'is required'],
    [{ ...base, max_tokens: 0 }, 'max_tokens', 'expected number to be >0'],
    [{ ...base, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 7 }] }, 'messages[2].content', 'expected a string or an array of content blocks'],
    [{ ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role', 'expected one of "user"|"assistant"'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'a', extra: 1 }] }] }, 'messages[0].content[0].extra', 'unknown parameter'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'video' }] }] }, 'messages[0].content[0].type', 'expected one of "text", "image"'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', data: 'x' } }] }] }, 'messages[0].content[0]', 'document blocks is not supported'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/tiff', data: 'x' } }] }] }, 'messages[0].content[0].source.media_type', 'expected one of'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'file:///etc/passwd' } }] }] }, 'messages[0].content[0].source.url', 'expected an http(s) URL'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f1' } }] }] }, 'messages[0].content[0].source', 'image source of type file is not supported'],
    [{ ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: '{}' }] }] }, 'messages[0].content[0].input', 'expected record'],
    [{ ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 5 }] }] }, 'messages[0].content[0].content', 'expected a string or an array of text and image blocks'],
    [{ ...base, messages: [{ role: 'assistant', content: [{ type: 'text', text: 'a', citations: [{ type: 'char_location' }] }] }] }, 'messages[0].content[0].citations', 'citations is not supported'],
    [{ ...base, system: [{ type: 'image', source: {} }] }, 'system[0].type', 'expected "text"'],
    [{ ...base, system: 5 }, 'system', 'expected a string or an array of text blocks'],
    [{ ...base, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] }, 'tools[0].type', 'server tools'],
    [{ ...base, tools: [{ name: 'f' }] }, 'tools[0].input_schema', 'is required'],
    [{ ...base, tool_choice: { type: 'tool' } }, 'tool_choice.name', 'is required'],
    [{ ...base, thinking: { type: 'enabled' } }, 'thinking.budget_tokens', 'is required'],
    [{ ...base, temperature: 1.5 }, 'temperature', 'expected number to be <=1'],
    [{ ...base, cache_control: { type: 'ephemeral' } }, 'cache_control', 'unknown parameter'],
    [{ ...base, mcp_servers: [] }, 'mcp_servers', 'unknown parameter'],
    [{ ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {}, caller: { type: 'code_execution_20250825', tool_id: 's1' } }] }] }, 'messages[0].content[0].caller.type', 'caller other than direct'],
    [{ ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {}, toolset_name: 'browser' }] }] }, 'messages[0].content[0].toolset_name', 'toolset tool calls'],
  ])('rejects a bad body with a 400 naming the field (%#)', (body, param, message) => {
    const err = errorOf(body);
    expect(err.status).toBe(400);
    expect(err.type).toBe('invalid_request_error');
    expect(err.param).toBe(param);
    expect(err.message.startsWith(`${param}: `)).toBe(true);
    expect(err.message).toContain(message);
  });
});

describe('decodeAnthropicMessages tolerates what the SDKs send', () => {
  it('reads a tool round trip whose assistant turn is Python model_dump() output (nulls, caller, citations)', () => {
    const { request } = decodeAnthropicMessages({
      model: 'claude',
      max_tokens: 64,
      system: null,
      temperature: null,
      tool_choice: null,
      metadata: { user_id: null },
      tools: [{ name: 'lookup', description: null, input_schema: { type: 'object', properties: { q: { type: ['string', 'null'], default: null } } }, cache_control: null }],
      messages: [
        { role: 'user', content: 'find x' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking.', citations: null },
            { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: null }, caller: null, toolset_name: null },
            { type: 'tool_use', id: 'toolu_2', name: 'lookup', input: { q: 'y' }, caller: { type: 'direct' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok', is_error: null }] },
      ],
    });
    expect(request.messages[1].content).toEqual([
      { type: 'text', text: 'Looking.' },
      { type: 'tool_call', id: 'toolu_1', name: 'lookup', arguments: '{"q":null}' },
      { type: 'tool_call', id: 'toolu_2', name: 'lookup', arguments: '{"q":"y"}' },
    ]);
    expect(request.tools![0].parameters).toEqual({ type: 'object', properties: { q: { type: ['string', 'null'], default: null } } });
    expect(request.system).toEqual([]);
    expect(request.temperature).toBeUndefined();
  });
});
