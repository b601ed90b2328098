import type { CanonicalRequest } from '@gatehouse/formats';
import { buildConverseRequest } from './request';

const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const base = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'claude',
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
  stream: false,
  ...over,
});
const weatherTool = { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('buildConverseRequest', () => {
  it('maps system, messages and inference settings; top_k and thinking go to additional fields', () => {
    const body = buildConverseRequest(base({
      system: [{ type: 'text', text: 'Be brief.' }],
      max_tokens: 512, temperature: 0.3, top_p: 0.8, top_k: 50, stop: ['###'],
      thinking: { budget_tokens: 4096 },
    }), MODEL);
    expect(body).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
      inferenceConfig: { maxTokens: 512, temperature: 0.3, topP: 0.8, stopSequences: ['###'] },
      additionalModelRequestFields: { top_k: 50, thinking: { type: 'enabled', budget_tokens: 4096 } },
    });
  });

  it('maps tool calls, tool results (json, text, error) and merges consecutive user turns', () => {
    const body = buildConverseRequest(base({
      tools: [weatherTool],
      tool_choice: { type: 'auto' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Paris and London?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'two calls', signature: 'SIG' },
            { type: 'tool_call', id: 'tooluse_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool_call', id: 'tooluse_2', name: 'get_weather', arguments: '{"city":"London"}' },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_call_id: 'tooluse_1', content: [{ type: 'text', text: '{"temp":21}' }] }] },
        { role: 'user', content: [{ type: 'tool_result', tool_call_id: 'tooluse_2', content: [{ type: 'text', text: 'city not found' }], is_error: true }] },
      ],
    }), MODEL);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Paris and London?' }] },
      {
        role: 'assistant',
        content: [
          { reasoningContent: { reasoningText: { text: 'two calls', signature: 'SIG' } } },
          { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: { city: 'London' } } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tooluse_1', content: [{ json: { temp: 21 } }] } },
          { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'city not found' }], status: 'error' } },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: weatherTool.parameters } } }],
      toolChoice: { auto: {} },
    });
  });

  it('maps required and named tool choices; none drops the tools or is refused mid-conversation', () => {
    expect(buildConverseRequest(base({ tools: [weatherTool], tool_choice: { type: 'required' } }), MODEL).toolConfig?.toolChoice).toEqual({ any: {} });
    expect(buildConverseRequest(base({ tools: [weatherTool], tool_choice: { type: 'tool', name: 'get_weather' } }), MODEL).toolConfig?.toolChoice)
      .toEqual({ tool: { name: 'get_weather' } });
    expect(buildConverseRequest(base({ tools: [weatherTool], tool_choice: { type: 'none' } }), MODEL).toolConfig).toBeUndefined();
    const midway = base({
      tools: [weatherTool],
      tool_choice: { type: 'none' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'x' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'get_weather', arguments: '{}' }] },
        { role: 'user', content: [{ type: 'tool_result', tool_call_id: 't', content: [{ type: 'text', text: 'ok' }] }] },
      ],
    });
    expect(() => buildConverseRequest(midway, MODEL)).toThrow(/"tool_choice" is not supported by provider type bedrock/);
  });

  it('sends base64 images as bytes and refuses image URLs', () => {
    const body = buildConverseRequest(base({
      messages: [{ role: 'user', content: [
        { type: 'image', source: { kind: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
        { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ] }],
    }), MODEL);
    expect(body.messages[0].content).toEqual([
      { image: { format: 'jpeg', source: { bytes: '/9j/4AAQ' } } },
      { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
    ]);
    const url = base({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } }] }] });
    expect(() => buildConverseRequest(url, MODEL)).toThrow(expect.objectContaining({ status: 400, param: 'messages[0].content[0]' }));
  });

  it('places cache points after system text, tools and message parts marked for caching', () => {
    const body = buildConverseRequest(base({
      system: [{ type: 'text', text: 'Long policy...', cache_control: { type: 'ephemeral' } }],
      tools: [{ ...weatherTool, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Long doc', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Question' }] }],
    }), MODEL);
    expect(body.system).toEqual([{ text: 'Long policy...' }, { cachePoint: { type: 'default' } }]);
    expect(body.toolConfig?.tools[1]).toEqual({ cachePoint: { type: 'default' } });
    expect(body.messages[0].content).toEqual([{ text: 'Long doc' }, { cachePoint: { type: 'default' } }, { text: 'Question' }]);
  });

  it('refuses fields Converse cannot honour', () => {
    expect(() => buildConverseRequest(base({ n: 2 }), MODEL)).toThrow(/"n"/);
    expect(() => buildConverseRequest(base({ response_format: { type: 'json_object' }, tools: [{ name: 'f', parameters: {} }] }), MODEL)).toThrow(/"response_format.json_object"/);
    expect(() => buildConverseRequest(base({ presence_penalty: 0.5 }), MODEL)).toThrow(/"presence_penalty"/);
  });
});

describe('bedrock structured output through a forced tool', () => {
  it('turns response_format into one forced tool whose inputSchema is the requested schema', () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    const body = buildConverseRequest(base({ response_format: { type: 'json_schema', name: 'num', schema } }), MODEL);
    expect(body.toolConfig?.tools).toEqual([{ toolSpec: expect.objectContaining({ name: 'gatehouse_structured_output', inputSchema: { json: schema } }) }]);
    expect(body.toolConfig?.toolChoice).toEqual({ tool: { name: 'gatehouse_structured_output' } });
  });
});

