import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { repoRoot } from '../support/app-process';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { ADMIN_TOKEN, startGateway, UPSTREAM_KEYS, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-bedrock-native-0001';
const GUARDED = 'gh-e2e-bedrock-guarded-0002';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n\u00e9\u00ff').toString('base64');
const HAIKU = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const HAIKU_US = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const TRACE_DEADLINE_MS = 30_000;

const catalogue = JSON.parse(readFileSync(join(repoRoot(), 'libs/pricing/src/data/catalogue.json'), 'utf8')) as {
  models: Record<string, { input_per_mtok: number; output_per_mtok: number; cached_input_per_mtok?: number; cache_write_per_mtok?: number }>;
};

let mock: MockUpstream;
let gw: Gateway;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({
    mockUrl: mock.url,
    keys: [{ name: 'bedrock-native', secret: KEY }, { name: 'bedrock-guarded', secret: GUARDED, team: 'bedrock-guarded' }],
    models: {
      'claude-on-bedrock': { targets: [{ provider: 'bedrock', model: HAIKU_US }], retry: { attempts: 0 } },
      'nova-model': { targets: [{ provider: 'bedrock', model: 'amazon.nova-pro-v1:0' }], retry: { attempts: 0 } },
      'bedrock-then-anthropic': { targets: [{ provider: 'bedrock', model: HAIKU }, { provider: 'anthropic', model: 'claude-sonnet-4-5' }], retry: { attempts: 0 } },
    },
  });
  for (const check of [
    { type: 'keywords', stage: 'input', words: ['project x'], action: 'deny' },
    { type: 'regex', stage: 'output', pattern: '(?i)internal only', action: 'deny' },
  ]) {
    const r = await fetch(`${gw.url}/admin/policies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `bedrock-${check.stage}`, scope: { teams: ['bedrock-guarded'] }, checks: [check] }),
    });
    expect(r.status).toBe(201);
  }
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

/** A body the canonical model cannot carry (PDF document with citations, an unknown field): served only by pass-through. */
const nativeBody = (model: string, text: string) => ({
  model,
  max_tokens: 128,
  future_field: { kept: [1, 'two', null] },
  messages: [
    {
      role: 'user',
      content: [
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF }, citations: { enabled: true }, cache_control: { type: 'ephemeral' } },
        { type: 'text', text },
      ],
    },
  ],
});

type Sent = ReturnType<typeof nativeBody>;
const asCreate = (b: Sent) => b as unknown as Anthropic.MessageCreateParamsNonStreaming;
const withoutModel = ({ model: _m, ...rest }: Sent) => rest;

/** Cost of the mock's usage at the catalogue's list price (cache reads/writes at their own price when listed). */
function listPrice(u: { input: number; output: number; cached: number; cache_write: number }): number {
  const p = catalogue.models['claude-3-5-haiku'];
  const m = 1_000_000;
  return ((u.input - u.cached - u.cache_write) * p.input_per_mtok + u.cached * (p.cached_input_per_mtok ?? p.input_per_mtok)
    + u.cache_write * (p.cache_write_per_mtok ?? p.input_per_mtok) + u.output * p.output_per_mtok) / m;
}

/** The one upstream request: Bedrock InvokeModel, SigV4-signed, without the client's key or Anthropic headers. */
function invokeRequest(path: RegExp): Record<string, unknown> {
  expect(mock.requests).toHaveLength(1);
  const r = mock.requests[0];
  expect(r.path).toMatch(path);
  expect(r.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${UPSTREAM_KEYS.bedrockAccessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request`));
  expect(r.headers['anthropic-beta']).toBeUndefined();
  expect(r.headers['x-api-key']).toBeUndefined();
  expect(JSON.stringify(r)).not.toContain(KEY);
  return r.body as Record<string, unknown>;
}

describe('native pass-through: an Anthropic client to Anthropic models on Bedrock (InvokeModel)', () => {
  it('messages.create: the PDF block arrives byte-identical, anthropic-beta becomes anthropic_beta, no model key, unknown fields kept; usage and cost reach the trace', async () => {
    const usage = { input: 1800, output: 42, cached: 300, cache_write: 0 };
    mock.enqueue({ text: 'A one-page PDF.', usage });
    const sent = nativeBody('claude-on-bedrock', 'Summarise the document.');
    const { data, response } = await anthropic.messages
      .create(asCreate(sent), { headers: { 'anthropic-beta': 'pdfs-2024-09-25, token-efficient-tools-2025-02-19' } })
      .withResponse();
    expect(data.content).toEqual([expect.objectContaining({ type: 'text', text: 'A one-page PDF.' })]);
    expect(data.usage).toMatchObject({ input_tokens: 1500, cache_read_input_tokens: 300, output_tokens: 42 });

    const body = invokeRequest(/^\/model\/us\.anthropic\.claude-3-5-haiku-20241022-v1%3A0\/invoke$/);
    expect(body).toEqual({ ...withoutModel(sent), anthropic_version: 'bedrock-2023-05-31', anthropic_beta: ['pdfs-2024-09-25', 'token-efficient-tools-2025-02-19'] });
    expect('model' in body).toBe(false);
    const doc = (body.messages as Array<{ content: Array<{ source: { data: string } }> }>)[0].content[0];
    expect(Buffer.from(doc.source.data, 'base64').equals(Buffer.from(PDF, 'base64'))).toBe(true);

    const trace = await gw.trace(response.headers.get('x-gatehouse-request-id')!, TRACE_DEADLINE_MS);
    expect(trace).toMatchObject({
      status: 200, provider: 'bedrock', model_upstream: HAIKU_US, client_format: 'anthropic',
      input_tokens: usage.input, output_tokens: usage.output, cached_tokens: usage.cached, pricing_unknown: false,
    });
    expect(Math.abs((trace.cost_usd as number) - listPrice(usage))).toBeLessThan(1e-9);
  });

  it('messages.stream().finalMessage(): the event stream comes back as Anthropic SSE the SDK assembles; usage and cost reach the trace', async () => {
    const usage = { input: 900, output: 25, cached: 0, cache_write: 100 };
    mock.enqueue({ text: 'Streamed from Bedrock, in five pieces.', chunks: 5, usage });
    const sent = nativeBody('claude-on-bedrock', 'Summarise.');
    const stream = anthropic.messages.stream(sent as unknown as Anthropic.MessageCreateParamsStreaming, { headers: { 'anthropic-beta': 'pdfs-2024-09-25' } });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'Streamed from Bedrock, in five pieces.' })]);
    expect(deltas.length).toBe(5);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 800, cache_creation_input_tokens: 100, output_tokens: 25 });

    const body = invokeRequest(/^\/model\/us\.anthropic\.claude-3-5-haiku-20241022-v1%3A0\/invoke-with-response-stream$/);
    expect(body).toEqual({ ...withoutModel(sent), anthropic_version: 'bedrock-2023-05-31', anthropic_beta: ['pdfs-2024-09-25'] });
    expect('stream' in body).toBe(false);

    const requestId = (await stream.withResponse()).response.headers.get('x-gatehouse-request-id')!;
    const trace = await gw.trace(requestId, TRACE_DEADLINE_MS);
    expect(trace).toMatchObject({ status: 200, provider: 'bedrock', input_tokens: usage.input, output_tokens: usage.output, cache_write_tokens: usage.cache_write, pricing_unknown: false });
    expect(Math.abs((trace.cost_usd as number) - listPrice(usage))).toBeLessThan(1e-9);
  });

  it('a plain request (no document) to an Anthropic model on Bedrock is passed through too, not translated to Converse', async () => {
    const msg = await anthropic.messages.create({ model: 'bedrock-model', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    expect(msg.content[0]).toMatchObject({ type: 'text' });
    expect(invokeRequest(/^\/model\/anthropic\.claude-3-5-haiku-20241022-v1%3A0\/invoke$/)).toEqual({
      max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], anthropic_version: 'bedrock-2023-05-31',
    });
  });

  it('a non-Anthropic model on Bedrock keeps rejecting what Converse cannot carry, naming the field, before any upstream call', async () => {
    const err = await anthropic.messages.create(asCreate(nativeBody('nova-model', 'Summarise.'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toMatch(/future_field|messages\[0\]\.content\[0\]/);
    expect(mock.requests).toHaveLength(0);
  });

  it('a failed Bedrock attempt fails over to the next target, which gets the same body', async () => {
    mock.enqueue({ status: 503, error_message: 'Bedrock is unavailable' });
    const sent = nativeBody('bedrock-then-anthropic', 'Summarise.');
    const msg = await anthropic.messages.create(asCreate(sent));
    expect(msg.content.length).toBeGreaterThan(0);
    expect(mock.requests.map((r) => r.path)).toEqual(['/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke', '/v1/messages']);
    expect(mock.requests[1].body).toEqual({ ...sent, model: 'claude-sonnet-4-5' });
  });
});

describe('Bedrock errors on the pass-through reach the Anthropic client in Anthropic form, without AWS credentials', () => {
  const secretEcho = `denied for ${UPSTREAM_KEYS.bedrockAccessKeyId} using ${UPSTREAM_KEYS.bedrockSecret}`;

  it.each([
    [400, 'ValidationException', 400, 'invalid_request_error', Anthropic.BadRequestError],
    [429, 'ThrottlingException', 503, 'overloaded_error', Anthropic.InternalServerError],
    [403, 'AccessDeniedException', 502, 'api_error', Anthropic.InternalServerError],
  ] as const)('%i %s → %i %s', async (status, _aws, clientStatus, anthropicType, errorClass) => {
    mock.enqueue({ status, error_message: secretEcho, retry_after: 0 });
    const err = (await anthropic.messages.create(asCreate(nativeBody('claude-on-bedrock', 'hi'))).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err).toBeInstanceOf(errorClass);
    expect(err.status).toBe(clientStatus);
    const body = err.error as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe(anthropicType);
    expect(body.error.message).toContain(`${status}`);
    const all = `${err.message} ${JSON.stringify(err.error)}`;
    expect(all).not.toContain(UPSTREAM_KEYS.bedrockSecret);
    expect(all).not.toContain(UPSTREAM_KEYS.bedrockAccessKeyId);
    const trace = await gw.trace(err.headers!.get('x-gatehouse-request-id')!, TRACE_DEADLINE_MS);
    expect(trace.status).toBe(clientStatus);
    expect(JSON.stringify(trace)).not.toContain(UPSTREAM_KEYS.bedrockSecret);
  });
});

describe('guardrails on the Bedrock pass-through', () => {
  const guarded = () => new Anthropic({ apiKey: GUARDED, baseURL: gw.url, maxRetries: 0 });

  /** Policies apply shortly after they are created: retry the request until it is refused (or the deadline passes). */
  async function refusedWithin<T>(send: () => Promise<T>, deadlineMs = 20_000): Promise<unknown> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const outcome = await send().then(() => null, (e: unknown) => e);
      if (outcome !== null || Date.now() > until) return outcome;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('an input policy refuses the request before Bedrock is called', async () => {
    const err = await refusedWithin(async () => {
      mock.reset();
      return guarded().messages.create(asCreate(nativeBody('claude-on-bedrock', 'Tell me about Project X.')));
    });
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(JSON.stringify((err as InstanceType<typeof Anthropic.BadRequestError>).error)).toContain('bedrock-input');
    expect(mock.requests).toHaveLength(0);
  });

  it('an output policy replaces a non-streaming Bedrock answer by the 400', async () => {
    const err = await refusedWithin(async () => {
      mock.reset();
      mock.enqueue({ text: 'The roadmap is INTERNAL ONLY: ship in May.' });
      return guarded().messages.create(asCreate(nativeBody('claude-on-bedrock', 'roadmap?')));
    });
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    const e = err as InstanceType<typeof Anthropic.BadRequestError>;
    expect(JSON.stringify(e.error)).toContain('bedrock-output');
    expect(JSON.stringify(e.error)).not.toContain('ship in May');
    expect(mock.requests.map((r) => r.path)).toEqual(['/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke']);
  });
});
