import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { importSPKI, jwtVerify } from 'jose';
import { startMockUpstream, type MockUpstream, type RecordedRequest } from '../support/mock-upstream/server';
import { startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-vertex-key-0001';
const GEMINI = 'gemini-2.0-flash-001';
const CLAUDE = 'claude-sonnet-4-5@20250929';
const RESOURCE = '/v1/projects/acme-prod/locations/us-east5/publishers';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const CLIENT_EMAIL = 'gatehouse@acme-prod.iam.gserviceaccount.com';
const PEM_BODY = privateKey.split('\n')[5];

let dir: string;
let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-vertex-'));
  const credentials = join(dir, 'service-account.json');
  writeFileSync(credentials, JSON.stringify({
    type: 'service_account', project_id: 'acme-prod', private_key_id: 'e2e-key-1', private_key: privateKey,
    client_email: CLIENT_EMAIL, token_uri: 'https://oauth2.googleapis.com/token',
  }));
  mock = await startMockUpstream();
  const vertex = { provider: 'vertex' };
  gw = await startGateway({
    mockUrl: mock.url,
    keys: [{ name: 'vertex', secret: KEY }],
    providers: {
      vertex: { type: 'vertex', project: 'acme-prod', location: 'us-east5', base_url: mock.url, credentials_file: credentials, token_url: `${mock.url}/token` },
      // Its token endpoint does not exist: every exchange fails.
      'vertex-no-token': { type: 'vertex', project: 'acme-prod', location: 'us-east5', base_url: mock.url, credentials_file: credentials, token_url: `${mock.url}/no-token-here` },
    },
    models: {
      'vertex-gemini': { targets: [{ ...vertex, model: GEMINI }], retry: { attempts: 0 } },
      'vertex-claude': { targets: [{ ...vertex, model: CLAUDE }], retry: { attempts: 0 } },
      'vertex-failover': { targets: [{ ...vertex, model: CLAUDE }, { ...vertex, model: GEMINI }], retry: { attempts: 0 } },
      'vertex-token-failover': { targets: [{ provider: 'vertex-no-token', model: GEMINI }, { ...vertex, model: GEMINI }], retry: { attempts: 0 } },
      'vertex-no-token': { targets: [{ provider: 'vertex-no-token', model: GEMINI }], retry: { attempts: 0 } },
    },
  });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => mock.reset());

const vertexCalls = (): RecordedRequest[] => mock.requests.filter((r) => r.path.startsWith(RESOURCE));
const weather = {
  name: 'get_weather',
  description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('Vertex AI provider (service-account token, Gemini and Claude on the mock)', () => {
  it('exchanges a signed JWT for an access token once, and calls Gemini on Vertex with it (OpenAI client)', async () => {
    const { data, response } = await openai.chat.completions.create({ model: 'vertex-gemini', messages: [{ role: 'user', content: 'Hello Vertex' }] }).withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-gatehouse-provider')).toBe('vertex');

    expect(mock.tokenGrants).toHaveLength(1);
    const grant = mock.tokenGrants[0];
    const { payload, protectedHeader } = await jwtVerify(grant.assertion, await importSPKI(publicKey, 'RS256'), { issuer: CLIENT_EMAIL, audience: `${mock.url}/token` });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'e2e-key-1' });
    expect(payload.scope).toBe('https://www.googleapis.com/auth/cloud-platform');

    const [call] = vertexCalls();
    expect(call.path).toBe(`${RESOURCE}/google/models/${GEMINI}:generateContent`);
    expect(call.headers.authorization).toBe(`Bearer ${grant.token}`);
    expect(call.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hello Vertex' }] }] });
  });

  it('streams Gemini on Vertex over SSE to an OpenAI client, with usage', async () => {
    mock.enqueue({ chunks: 3 });
    const stream = await openai.chat.completions.create({ model: 'vertex-gemini', messages: [{ role: 'user', content: 'Stream please' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the mock upstream.');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const [call] = vertexCalls();
    expect(call.path).toBe(`${RESOURCE}/google/models/${GEMINI}:streamGenerateContent`);
    expect(call.query).toEqual({ alt: 'sse' });
  });

  it('calls Claude on Vertex through rawPredict (Anthropic client): model in the URL, anthropic_version in the body', async () => {
    const msg = await anthropic.messages.create({ model: 'vertex-claude', max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi Claude' }] });
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello from the mock upstream.' }]);
    expect(msg.model).toBe('vertex-claude');
    const [call] = vertexCalls();
    expect(call.path).toBe(`${RESOURCE}/anthropic/models/${encodeURIComponent(CLAUDE)}:rawPredict`);
    expect(call.body).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi Claude' }] }],
    });
    expect(call.headers.authorization).toBe(`Bearer ${mock.tokenGrants[0].token}`);
  });

  it('streams Claude on Vertex through streamRawPredict (Anthropic client)', async () => {
    const stream = anthropic.messages.stream({ model: 'vertex-claude', max_tokens: 100, messages: [{ role: 'user', content: 'Stream, Claude' }] });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Hello from the mock upstream.' }]);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(vertexCalls()[0].path).toBe(`${RESOURCE}/anthropic/models/${encodeURIComponent(CLAUDE)}:streamRawPredict`);
  });

  it('carries tool calls both ways: OpenAI client → Claude on Vertex, Anthropic client → Gemini on Vertex (streamed)', async () => {
    mock.enqueue({ tool_calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const chat = await openai.chat.completions.create({
      model: 'vertex-claude',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: weather }],
    });
    expect(chat.choices[0].finish_reason).toBe('tool_calls');
    expect(chat.choices[0].message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(vertexCalls()[0].body).toMatchObject({ tools: [{ name: 'get_weather', input_schema: weather.parameters }] });

    mock.enqueue({ tool_calls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const stream = anthropic.messages.stream({
      model: 'vertex-gemini',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [{ name: 'get_weather', description: weather.description, input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual([expect.objectContaining({ type: 'tool_use', name: 'get_weather', input: { city: 'Oslo' } })]);
    expect(vertexCalls()[1].body).toMatchObject({ tools: [{ functionDeclarations: [{ name: 'get_weather' }] }] });
  });

  it('fails over from a rate-limited Claude on Vertex to Gemini on Vertex', async () => {
    mock.enqueue({ status: 429, error_message: 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model' });
    const { data, response } = await openai.chat.completions.create({ model: 'vertex-failover', messages: [{ role: 'user', content: 'Anyone there?' }] }).withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
    expect(vertexCalls().map((r) => r.path.split(':').pop())).toEqual(['rawPredict', 'generateContent']);
    expect(response.headers.get('x-gatehouse-attempts')).toBe('2');
    expect(response.headers.get('x-gatehouse-model')).toBe(GEMINI);
  });

  it('a failed token exchange fails the attempt over to the next target, and alone is a 5xx naming the exchange, never a secret', async () => {
    const { data, response } = await openai.chat.completions.create({ model: 'vertex-token-failover', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    expect(data.choices[0].message.content).toBe('Hello from the mock upstream.');
    expect(response.headers.get('x-gatehouse-attempts')).toBe('2');
    expect(mock.requests.map((r) => r.path)).toEqual(['/no-token-here', `${RESOURCE}/google/models/${GEMINI}:generateContent`]);

    const err = await openai.chat.completions.create({ model: 'vertex-no-token', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBeGreaterThanOrEqual(500);
    expect((err as Error).message).toContain('vertex token exchange failed: 404');
    expect(JSON.stringify(err)).not.toContain(PEM_BODY);
    expect(vertexCalls()).toHaveLength(1);
  });

  it('counts tokens exactly on Vertex: Claude at the count-tokens model, Gemini at :countTokens', async () => {
    const params = { system: 'Be brief.', messages: [{ role: 'user' as const, content: 'Count these words, please.' }] };
    const claude = await anthropic.messages.countTokens({ model: 'vertex-claude', ...params }).withResponse();
    expect(claude.response.headers.get('x-gatehouse-token-count')).toBe('exact');
    expect(claude.data.input_tokens).toBe(Math.ceil(JSON.stringify([params.system, params.messages, null]).length / 4));
    const gemini = await anthropic.messages.countTokens({ model: 'vertex-gemini', ...params }).withResponse();
    expect(gemini.response.headers.get('x-gatehouse-token-count')).toBe('exact');
    expect(gemini.data.input_tokens).toBeGreaterThan(0);
    const [c, g] = vertexCalls();
    expect(c.path).toBe(`${RESOURCE}/anthropic/models/count-tokens:rawPredict`);
    expect(c.body).toEqual({ model: CLAUDE, ...params });
    expect(g.path).toBe(`${RESOURCE}/google/models/${GEMINI}:countTokens`);
    expect(g.body).toEqual({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'user', parts: [{ text: params.messages[0].content }] }] });
  });

  it('answers a Vertex error in the client\'s format without tokens or key material, and never logs them', async () => {
    mock.enqueue({ status: 429, error_message: 'Resource exhausted' });
    const err = await anthropic.messages.create({ model: 'vertex-claude', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    // A rate-limited last target is a 503 overloaded_error (docs/resilience.md), with the upstream's reason.
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect((err as Error).message).toContain('Resource exhausted');
    mock.enqueue({ status: 400, error_message: 'bad request' });
    const bad = await openai.chat.completions.create({ model: 'vertex-gemini', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    const token = mock.tokenGrants[0].token;
    for (const text of [JSON.stringify(err), JSON.stringify(bad), gw.app.logs()]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(PEM_BODY);
    }
    expect(mock.tokenGrants).toHaveLength(1);
  });
});
