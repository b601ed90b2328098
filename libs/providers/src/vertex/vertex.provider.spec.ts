import type { StreamEvent } from '@gatehouse/formats';
import { collect, readFixture, runStream } from '../shared/testing';
import type { UpstreamRequest } from '../provider';
import { createVertexProvider } from './vertex.provider';
import type { VertexConfig } from './vertex.config';

const TOKEN = 'ya29.static-vertex-token-0001';
const config = (over: Partial<VertexConfig> = {}): VertexConfig => ({
  type: 'vertex', project: 'acme-prod', location: 'us-east5', api_key: TOKEN, max_connections: 8, ...over,
});
const text = (t: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text: t }] });
const req = { model: 'm', system: [{ type: 'text' as const, text: 'Be brief.' }], messages: [text('hi')], stream: false, max_tokens: 64 };
const fixture = (f: string) => readFixture('vertex', f);

describe('createVertexProvider: Gemini models', () => {
  it('posts the Gemini body to the publisher model\'s :generateContent with the access token as bearer', async () => {
    const up = await createVertexProvider(config()).chatRequest(req, 'gemini-2.0-flash-001');
    expect(up.url).toBe('https://us-east5-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-east5/publishers/google/models/gemini-2.0-flash-001:generateContent');
    expect(up.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(up.url).not.toContain(TOKEN);
    expect(JSON.parse(up.body)).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { maxOutputTokens: 64 },
    });
  });

  it('streams through :streamGenerateContent?alt=sse; location global uses the global endpoint; base_url replaces the host', async () => {
    const global = await createVertexProvider(config({ location: 'global' })).chatRequest({ ...req, stream: true }, 'gemini-2.5-pro');
    expect(global.url).toBe('https://aiplatform.googleapis.com/v1/projects/acme-prod/locations/global/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse');
    expect(global.headers.accept).toBe('text/event-stream');
    const proxied = await createVertexProvider(config({ base_url: 'http://127.0.0.1:9999/' })).chatRequest(req, 'gemini-2.0-flash-001');
    expect(proxied.url).toBe('http://127.0.0.1:9999/v1/projects/acme-prod/locations/us-east5/publishers/google/models/gemini-2.0-flash-001:generateContent');
  });

  it('reads Vertex generateContent answers and SSE streams with the Gemini translators', () => {
    const p = createVertexProvider(config());
    const res = p.parseChatResponse(fixture('gemini-tool-call.response.json'), 'gemini-2.0-flash-001');
    expect(res.stop_reason).toBe('tool_use');
    expect(res.content).toEqual([{ type: 'tool_call', id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"location":"Boston, MA"}' }]);
    expect(res.usage).toMatchObject({ input_tokens: 41, output_tokens: 7 });
    const events = runStream(p.createStreamParser('gemini-2.0-flash-001'), fixture('gemini-text.stream.sse'));
    expect(collect(events).get(0)).toBe('Vertex AI serves Gemini in your own Google Cloud project.');
    expect(events.filter((e) => e.type === 'usage')).toEqual([{ type: 'usage', usage: expect.objectContaining({ input_tokens: 8, output_tokens: 12 }) }]);
    expect(events[events.length - 1]).toMatchObject({ type: 'stop', stop_reason: 'end_turn' });
  });
});

describe('createVertexProvider: Claude models', () => {
  it('posts an Anthropic body without the model and with anthropic_version to :rawPredict', async () => {
    const up = await createVertexProvider(config()).chatRequest(req, 'claude-sonnet-4-5@20250929') as UpstreamRequest;
    expect(up.url).toBe('https://us-east5-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5%4020250929:rawPredict');
    expect(up.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(up.headers['anthropic-version']).toBeUndefined();
    expect(JSON.parse(up.body)).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 64,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });

  it('streams through :streamRawPredict and reads Anthropic answers and streams', async () => {
    const p = createVertexProvider(config());
    const up = await p.chatRequest({ ...req, stream: true }, 'claude-sonnet-4-5');
    expect(up.url).toMatch(/\/publishers\/anthropic\/models\/claude-sonnet-4-5:streamRawPredict$/);
    expect(JSON.parse(up.body)).toMatchObject({ stream: true, anthropic_version: 'vertex-2023-10-16' });
    const res = p.parseChatResponse(fixture('claude-tool-use.response.json'), 'claude-sonnet-4-5');
    expect(res.content[1]).toEqual({ type: 'tool_call', id: 'toolu_vrtx_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: '{"location":"Paris"}' });
    const events: StreamEvent[] = runStream(p.createStreamParser('claude-sonnet-4-5'), fixture('claude-text.stream.sse'));
    expect(collect(events).get(0)).toBe('Bonjour depuis Vertex.');
    expect(events[events.length - 1]).toMatchObject({ type: 'stop', stop_reason: 'end_turn' });
  });

  it('answers structured output through the forced tool, as for Anthropic', async () => {
    const p = createVertexProvider(config());
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    const up = await p.chatRequest({ ...req, response_format: { type: 'json_schema', name: 'place', schema } }, 'claude-sonnet-4-5');
    expect(JSON.parse(up.body)).toMatchObject({ tools: [{ name: 'gatehouse_structured_output', input_schema: schema }], tool_choice: { type: 'tool', name: 'gatehouse_structured_output' } });
  });
});

describe('createVertexProvider: token counting', () => {
  it('counts Claude at the publisher\'s count-tokens model (model in the body) and Gemini at :countTokens', async () => {
    const p = createVertexProvider(config());
    const body = { model: 'alias', system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }], max_tokens: 9 };
    const claude = await p.countTokensRequest!({ body, request: req }, 'claude-sonnet-4-5@20250929');
    expect(claude.url).toBe('https://us-east5-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict');
    expect(JSON.parse(claude.body)).toEqual({ model: 'claude-sonnet-4-5@20250929', system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] });
    expect(p.parseTokenCount!('{"input_tokens":14}', 'claude-sonnet-4-5@20250929')).toBe(14);
    const gemini = await p.countTokensRequest!({ body, request: req }, 'gemini-2.0-flash-001');
    expect(gemini.url).toMatch(/\/publishers\/google\/models\/gemini-2\.0-flash-001:countTokens$/);
    expect(gemini.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(gemini.body)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], systemInstruction: { parts: [{ text: 'Be brief.' }] } });
    expect(p.parseTokenCount!('{"totalTokens":31,"totalBillableCharacters":96}', 'gemini-2.0-flash-001')).toBe(31);
    expect(() => p.parseTokenCount!('{"totalTokens":"x"}', 'gemini-2.0-flash-001')).toThrow('integer totalTokens');
  });
});

describe('createVertexProvider: errors', () => {
  it('reads Google and Anthropic error bodies, also as a one-element list, and masks access tokens', () => {
    const p = createVertexProvider(config());
    expect(p.parseError(429, fixture('error-quota.json'))).toEqual({ type: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('Quota exceeded') });
    expect(p.parseError(403, fixture('error-list.json')).type).toBe('PERMISSION_DENIED');
    expect(p.parseError(529, fixture('claude-overloaded.json'))).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    const leaked = p.parseError(401, '{"error":{"code":401,"message":"token ya29.a0AfH6SMBx-secret is expired","status":"UNAUTHENTICATED"}}');
    expect(leaked.message).toBe('token ya29.*** is expired');
  });
});
