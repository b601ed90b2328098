import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { embed } from '../support/mock-upstream/formats/embeddings';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, UPSTREAM_KEYS, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-api-full-key-0001';
const NARROW_KEY = 'gh-e2e-api-narrow-key-0002';
const MAX_BODY = 16 * 1024;

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({
    mockUrl: mock.url,
    keys: [
      { name: 'full', secret: KEY },
      { name: 'narrow', secret: NARROW_KEY, models: ['openai-*', 'local-model'] },
    ],
    limits: { max_body_bytes: MAX_BODY },
  });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

/** Ids and timestamps the mock mints per response; everything else must be byte-identical. */
const normaliseSse = (sse: string) =>
  sse.replace(/chatcmpl-mock[0-9a-z]+/g, 'chatcmpl-ID').replace(/call_mock[0-9a-z]+_/g, 'call_ID_').replace(/"created":\d+/g, '"created":0');

describe('pass-through (OpenAI client → openai provider)', () => {
  it('streams the upstream SSE bytes unchanged with include_usage, and only the model is replaced upstream', async () => {
    const behaviour = { text: 'Pass me through, unchanged.', chunks: 4, tool_calls: [{ name: 'lookup', arguments: '{"q":"x"}' }], usage: { input: 11, output: 7, cached: 3 } };
    const request = {
      model: 'openai-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      user: 'u-42',
      messages: [{ role: 'user', content: 'Say it' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
    };
    mock.enqueue(behaviour);
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const viaGateway = await res.text();

    const upstream = mock.requests[0];
    expect(upstream.body).toEqual({ ...request, model: 'gpt-4o-mini' });

    mock.enqueue(behaviour);
    const direct = await fetch(`${mock.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(upstream.body),
    });
    expect(normaliseSse(viaGateway)).toBe(normaliseSse(await direct.text()));
    expect(viaGateway).toContain('"model":"gpt-4o-mini"');
    expect(viaGateway.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

describe('errors in the caller\'s format', () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers }, body });

  it('rejects invalid JSON with 400 invalid_request_error, OpenAI and Anthropic shapes', async () => {
    const o = await post('/v1/chat/completions', '{"model": "openai-model", "messages": [');
    expect(o.status).toBe(400);
    const ob = (await o.json()) as { error: { type: string; message: string } };
    expect(ob.error.type).toBe('invalid_request_error');
    expect(ob.error.message).toMatch(/not valid JSON/);

    const a = await post('/v1/messages', '{"model": ', { 'anthropic-version': '2023-06-01' });
    expect(a.status).toBe(400);
    const ab = (await a.json()) as { type: string; error: { type: string; message: string } };
    expect(ab.type).toBe('error');
    expect(ab.error.type).toBe('invalid_request_error');
    expect(ab.error.message).toMatch(/not valid JSON/);
    expect(mock.requests).toHaveLength(0);
  });

  it('names the offending field for wrong types (OpenAI SDK BadRequestError)', async () => {
    const err = await openai.chat.completions
      .create({ model: 'openai-model', messages: [{ role: 'user', content: 42 as unknown as string }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.type).toBe('invalid_request_error');
    expect(e.message).toContain('messages[0].content');
    expect(mock.requests).toHaveLength(0);
  });

  it('names the offending field for wrong types (Anthropic SDK BadRequestError)', async () => {
    const err = await anthropic.messages
      .create({ model: 'anthropic-model', max_tokens: 'ten' as unknown as number, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    const e = err as InstanceType<typeof Anthropic.BadRequestError>;
    expect(e.status).toBe(400);
    expect((e.error as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect(e.message).toContain('max_tokens');
  });

  it('answers an unknown model with 404 in both SDKs', async () => {
    const o = await openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(o).toBeInstanceOf(OpenAI.NotFoundError);
    expect((o as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    const a = await anthropic.messages.create({ model: 'no-such-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(Anthropic.NotFoundError);
    expect(((a as InstanceType<typeof Anthropic.NotFoundError>).error as { error: { type: string } }).error.type).toBe('not_found_error');
  });

  it('answers a model the key may not use with 403 in both SDKs', async () => {
    const narrowOpenAI = new OpenAI({ apiKey: NARROW_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const narrowAnthropic = new Anthropic({ apiKey: NARROW_KEY, baseURL: gw.url, maxRetries: 0 });
    const o = await narrowOpenAI.chat.completions.create({ model: 'anthropic-model', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(o).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((o as InstanceType<typeof OpenAI.PermissionDeniedError>).message).toMatch(/not allowed to use model "anthropic-model"/);
    const a = await narrowAnthropic.messages.create({ model: 'gemini-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(((a as InstanceType<typeof Anthropic.PermissionDeniedError>).error as { error: { type: string } }).error.type).toBe('permission_error');
    expect(mock.requests).toHaveLength(0);
  });

  it('answers a model outside the globs of a key exactly alike whether the gateway has it or not, so a key cannot probe which models exist', async () => {
    const ask = async (path: string, model: string, headers: Record<string, string>, extra: Record<string, unknown>) => {
      const r = await fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model, ...extra }),
      });
      return { status: r.status, body: JSON.stringify(await r.json()).replaceAll(model, '<model>') };
    };
    const openaiAuth = { authorization: `Bearer ${NARROW_KEY}` };
    const anthropicAuth = { 'x-api-key': NARROW_KEY, 'anthropic-version': '2023-06-01' };
    const chat = { messages: [{ role: 'user', content: 'hi' }] };
    for (const [path, headers, extra] of [
      ['/v1/chat/completions', openaiAuth, chat],
      ['/v1/messages', anthropicAuth, { ...chat, max_tokens: 5 }],
      ['/v1/embeddings', openaiAuth, { input: 'hi' }],
    ] as const) {
      const configured = await ask(path, 'anthropic-model', headers, extra);
      const unknown = await ask(path, 'no-such-model-xyz', headers, extra);
      expect(unknown).toEqual(configured);
      expect(configured.status).toBe(403);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('answers a body over limits.max_body_bytes with 413 in both SDKs', async () => {
    const big = 'x'.repeat(MAX_BODY + 1);
    const o = await openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: big }] }).catch((e: unknown) => e);
    expect(o).toBeInstanceOf(OpenAI.APIError);
    expect((o as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((o as InstanceType<typeof OpenAI.APIError>).type).toBe('request_too_large');
    const a = await anthropic.messages.create({ model: 'anthropic-model', max_tokens: 5, messages: [{ role: 'user', content: big }] }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(Anthropic.APIError);
    expect((a as InstanceType<typeof Anthropic.APIError>).status).toBe(413);
    expect(((a as InstanceType<typeof Anthropic.APIError>).error as { error: { type: string } }).error.type).toBe('request_too_large');
    expect(mock.requests).toHaveLength(0);
  });

  it('answers a missing or invalid key with 401 in both SDKs', async () => {
    const bad = new OpenAI({ apiKey: 'gh-not-a-key', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const o = await bad.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(o).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((o as InstanceType<typeof OpenAI.AuthenticationError>).type).toBe('authentication_error');
    const badA = new Anthropic({ apiKey: 'gh-not-a-key', baseURL: gw.url, maxRetries: 0 });
    const a = await badA.messages.create({ model: 'anthropic-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(((a as InstanceType<typeof Anthropic.AuthenticationError>).error as { error: { type: string } }).error.type).toBe('authentication_error');
    const missing = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'anthropic-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/missing API key/);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('GET /v1/models and POST /v1/embeddings', () => {
  it('lists only the models the key may use (OpenAI and Anthropic list shapes)', async () => {
    const all = [];
    for await (const m of openai.models.list()) all.push(m.id);
    expect(all.sort()).toEqual(['anthropic-model', 'azure-openai-model', 'bedrock-model', 'gemini-model', 'local-model', 'openai-compatible-model', 'openai-model']);

    const narrow = new OpenAI({ apiKey: NARROW_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const ids = [];
    for await (const m of narrow.models.list()) ids.push(m.id);
    expect(ids.sort()).toEqual(['local-model', 'openai-compatible-model', 'openai-model']);

    const narrowA = new Anthropic({ apiKey: NARROW_KEY, baseURL: gw.url, maxRetries: 0 });
    const aIds = [];
    for await (const m of narrowA.models.list()) aIds.push(m.id);
    expect(aIds.sort()).toEqual(['local-model', 'openai-compatible-model', 'openai-model']);
  });

  it('retrieves one model in the OpenAI and Anthropic shapes, and answers 404 alike for a model not configured or not allowed', async () => {
    const m = await openai.models.retrieve('anthropic-model');
    expect(m).toEqual({ id: 'anthropic-model', object: 'model', created: expect.any(Number), owned_by: 'gatehouse' });
    const a = await anthropic.models.retrieve('gemini-model');
    expect(a).toMatchObject({ type: 'model', id: 'gemini-model', display_name: 'gemini-model' });
    expect(Number.isNaN(Date.parse(a.created_at))).toBe(false);

    const narrow = new OpenAI({ apiKey: NARROW_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const denied = await narrow.models.retrieve('anthropic-model').catch((e: unknown) => e);
    const missing = await narrow.models.retrieve('no-such-model').catch((e: unknown) => e);
    for (const e of [denied, missing]) {
      expect(e).toBeInstanceOf(OpenAI.NotFoundError);
      expect((e as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    }
    expect((denied as Error).message.replace('anthropic-model', 'X')).toBe((missing as Error).message.replace('no-such-model', 'X'));
  });

  it('embeds through the openai provider on the mock upstream (vectors, usage, upstream model and key)', async () => {
    const res = await openai.embeddings.create({ model: 'openai-model', input: ['alpha', 'beta'] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0].embedding).toHaveLength(16);
    res.data[0].embedding.forEach((v, i) => expect(v).toBeCloseTo(embed('alpha', 16)[i], 5));
    expect(res.usage.prompt_tokens).toBe(Math.ceil('alpha'.length / 4) + Math.ceil('beta'.length / 4));
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0].path).toBe('/v1/embeddings');
    expect(mock.requests[0].headers.authorization).toBe(`Bearer ${UPSTREAM_KEYS.openai}`);
    expect(mock.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', input: ['alpha', 'beta'] });
  });

  it('embeds with the built-in mock provider without any upstream call', async () => {
    const res = await openai.embeddings.create({ model: 'local-model', input: 'hello embeddings' });
    expect(res.data).toHaveLength(1);
    const v = res.data[0].embedding;
    expect(v.length).toBeGreaterThan(0);
    expect(Math.sqrt(v.reduce((s, x) => s + x * x, 0))).toBeCloseTo(1, 3);
    const again = await openai.embeddings.create({ model: 'local-model', input: 'hello embeddings' });
    expect(again.data[0].embedding).toEqual(v);
    expect(mock.requests).toHaveLength(0);
  });
});
