import fc from 'fast-check';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { ADMIN_TOKEN, startGateway, type Gateway } from '../support/gateway-config';
import { buildOpenApi } from '../../scripts/openapi';
import { envNumber, LONG } from './profile';

/**
 * Property tests over every HTTP endpoint of the gateway (standalone: ingress, guard and analytics
 * routes on one port), the endpoints and body schemas taken from the OpenAPI description generated
 * from the zod schemas (scripts/openapi.ts): arbitrary JSON bodies, mutations of valid bodies (a
 * field removed, replaced by any JSON value, an unknown field added, extreme numbers, a value just
 * outside what its schema allows), odd headers. Whatever is sent: no
 * 5xx, an answer within REQUEST_BOUND_MS, and every 4xx in the caller's format (Anthropic's on
 * /v1/messages, OpenAI-style everywhere else). Short profile in `npm test`; GATEHOUSE_LONG_TESTS=1
 * runs GATEHOUSE_FUZZ_RUNS (default 1000) per property.
 */
const RUNS = LONG ? envNumber('GATEHOUSE_FUZZ_RUNS', 1000) : envNumber('GATEHOUSE_FUZZ_RUNS', 40);
const REQUEST_BOUND_MS = 5_000;
const KEY = 'gh-fuzz-key-000000000001';

let mock: MockUpstream;
let gw: Gateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'fuzz', secret: KEY, log_bodies: true }] });
  const r = await fetch(`${gw.url}/admin/policies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'fuzz-all', checks: [{ type: 'pii', action: 'redact' }, { type: 'secrets', action: 'flag' }, { type: 'prompt_injection', action: 'flag' }] }),
  });
  expect(r.status).toBe(201);
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});

type Caller = 'openai' | 'anthropic';
interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  auth: 'key' | 'admin';
  caller: Caller;
  /** A valid body, mutated by the schema-shaped arbitrary. */
  valid?: Record<string, unknown>;
}

const chat = { model: 'openai-model', messages: [{ role: 'user', content: 'hello' }], max_tokens: 16, temperature: 0.5, stream: false };
const messages = { model: 'anthropic-model', max_tokens: 16, messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }], system: 'be brief' };
const responses = { model: 'openai-model', instructions: 'be brief', input: [{ role: 'user', content: [{ type: 'input_text', text: 'hello' }] }], max_output_tokens: 16, stream: false };
const policy = { id: 'fuzz-p', checks: [{ type: 'regex', pattern: 'x+', action: 'flag' }], scope: { teams: [] } };

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: '/v1/chat/completions', auth: 'key', caller: 'openai', valid: chat },
  { method: 'POST', path: '/v1/messages', auth: 'key', caller: 'anthropic', valid: messages },
  { method: 'POST', path: '/v1/messages/count_tokens', auth: 'key', caller: 'anthropic', valid: { model: 'anthropic-model', messages: messages.messages, system: 'be brief' } },
  { method: 'POST', path: '/v1/responses', auth: 'key', caller: 'openai', valid: responses },
  { method: 'POST', path: '/v1/embeddings', auth: 'key', caller: 'openai', valid: { model: 'openai-model', input: ['a', 'b'] } },
  { method: 'GET', path: '/v1/models', auth: 'key', caller: 'openai' },
  { method: 'GET', path: '/v1/models/openai-model', auth: 'key', caller: 'openai' },
  { method: 'POST', path: '/admin/keys', auth: 'admin', caller: 'openai', valid: { name: 'fuzz-key', team: 'qa', models: ['*'] } },
  { method: 'GET', path: '/admin/keys', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/admin/keys/key_fuzz', auth: 'admin', caller: 'openai' },
  { method: 'PATCH', path: '/admin/keys/key_fuzz', auth: 'admin', caller: 'openai', valid: { models: ['gpt-*'] } },
  { method: 'DELETE', path: '/admin/keys/key_fuzz', auth: 'admin', caller: 'openai' },
  { method: 'POST', path: '/admin/tokens', auth: 'admin', caller: 'openai', valid: { name: 'fuzz-token', role: 'viewer', teams: ['qa'] } },
  { method: 'GET', path: '/admin/tokens', auth: 'admin', caller: 'openai' },
  { method: 'DELETE', path: '/admin/tokens/tok_fuzz', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/admin/targets', auth: 'admin', caller: 'openai' },
  { method: 'POST', path: '/admin/config/reload', auth: 'admin', caller: 'openai' },
  { method: 'POST', path: '/admin/policies', auth: 'admin', caller: 'openai', valid: policy },
  { method: 'GET', path: '/admin/policies', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/admin/policies/fuzz-all', auth: 'admin', caller: 'openai' },
  { method: 'DELETE', path: '/admin/policies/fuzz-p', auth: 'admin', caller: 'openai' },
  { method: 'PUT', path: '/admin/policies/fuzz-all', auth: 'admin', caller: 'openai', valid: { checks: policy.checks } },
  { method: 'GET', path: '/admin/policies/fuzz-all/versions', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/admin/policies/fuzz-all/versions/1', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/admin/policies/fuzz-all/diff', auth: 'admin', caller: 'openai' },
  { method: 'POST', path: '/admin/policies/fuzz-all/test', auth: 'admin', caller: 'openai', valid: { messages: [{ role: 'user', content: 'mail a@b.example' }], output: 'ok' } },
  { method: 'POST', path: '/admin/policies/fuzz-all/backtest', auth: 'admin', caller: 'openai', valid: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', teams: ['qa'] } },
  { method: 'GET', path: '/admin/jobs/bt_fuzz', auth: 'admin', caller: 'openai' },
  { method: 'DELETE', path: '/admin/jobs/bt_fuzz', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/admin/alerts/failed', auth: 'admin', caller: 'openai' },
  { method: 'POST', path: '/admin/alerts/al_fuzz/retry', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/analytics/traces', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/analytics/traces/00000000-0000-4000-8000-000000000000', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/analytics/usage', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/analytics/latency', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/analytics/guardrails', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/analytics/audit', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/console/session', auth: 'admin', caller: 'openai' },
  { method: 'GET', path: '/auth/options', auth: 'key', caller: 'openai' },
  { method: 'GET', path: '/auth/oidc/login', auth: 'key', caller: 'openai' },
  { method: 'GET', path: '/auth/oidc/callback', auth: 'key', caller: 'openai' },
  { method: 'POST', path: '/auth/oidc/logout', auth: 'key', caller: 'openai' },
  { method: 'GET', path: '/healthz', auth: 'key', caller: 'openai' },
  { method: 'GET', path: '/readyz', auth: 'key', caller: 'openai' },
];
const OPENAPI = buildOpenApi() as {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
};
interface JsonSchema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
}
/** The body schema of an endpoint in the OpenAPI description (null when it takes none or a free object). */
function bodySchema(e: Endpoint): JsonSchema | null {
  const template = e.path.replace(/\/key_fuzz$/, '/{id}').replace(/\/fuzz-all\/versions\/1$/, '/{id}/versions/{v}').replace(/\/fuzz-(?:all|p)(\/test|\/versions|\/diff|\/backtest)?$/, '/{id}$1').replace(/\/(?:bt|tok)_fuzz$/, '/{id}').replace(/\/al_fuzz\/retry$/, '/{id}/retry');
  const ref = OPENAPI.paths[template]?.[e.method.toLowerCase()]?.requestBody?.content['application/json']?.schema.$ref;
  return ref ? OPENAPI.components.schemas[ref.split('/').pop()!] : null;
}
/** Values just outside (or at the edge of) what a property's schema allows. */
function outside(s: JsonSchema): unknown[] {
  const types = s.anyOf ? s.anyOf.map((a) => a.type) : [s.type];
  const out: unknown[] = [null, {}, [], '', 'x'.repeat(100_000), -1, 1e308, true];
  if (s.enum) out.push(`${String(s.enum[0])}-not-in-enum`, s.enum[0]);
  if (s.minimum !== undefined) out.push(s.minimum - 1, s.minimum);
  if (s.maximum !== undefined) out.push(s.maximum + 1, s.maximum, s.maximum + 0.5);
  if (types.includes('integer')) out.push(1.5, 2 ** 53);
  if (s.maxItems !== undefined) out.push(Array.from({ length: s.maxItems + 1 }, () => 'a'));
  return out;
}

const POSTS = ENDPOINTS.filter((e) => e.valid !== undefined || e.method === 'POST');
const WITH_BODY = ENDPOINTS.filter((e): e is Endpoint & { valid: Record<string, unknown> } => e.valid !== undefined);

interface Sent {
  endpoint: Endpoint;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}

async function send(s: Sent): Promise<{ status: number; text: string; ms: number }> {
  const e = s.endpoint;
  const headers: Record<string, string> = {
    authorization: `Bearer ${e.auth === 'admin' ? ADMIN_TOKEN : KEY}`,
    ...(s.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(e.caller === 'anthropic' ? { 'anthropic-version': '2023-06-01' } : {}),
    ...s.headers,
  };
  const t0 = Date.now();
  const r = await fetch(`${gw.url}${s.path ?? e.path}`, { method: e.method, headers, body: e.method === 'GET' ? undefined : s.body, signal: AbortSignal.timeout(REQUEST_BOUND_MS) });
  const text = await r.text();
  return { status: r.status, text, ms: Date.now() - t0 };
}

/** The property every answer must hold; returns what is wrong, or null. */
function problem(s: Sent, res: { status: number; text: string; ms: number }): string | null {
  if (res.status >= 500) return `${res.status}: ${res.text.slice(0, 300)}`;
  if (res.ms > REQUEST_BOUND_MS) return `took ${res.ms} ms`;
  if (res.status < 400) return null;
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    return `${res.status} with a non-JSON body: ${res.text.slice(0, 200)}`;
  }
  const j = json as { type?: unknown; error?: { type?: unknown; message?: unknown } };
  const err = j.error;
  if (!err || typeof err.type !== 'string' || typeof err.message !== 'string' || err.message.length === 0) return `${res.status} not in the error format: ${res.text.slice(0, 200)}`;
  const sentTo = new URL(`${gw.url}${s.path ?? s.endpoint.path}`).pathname;
  if (s.endpoint.caller === 'anthropic' && sentTo.startsWith('/v1/messages') && j.type !== 'error') return `${res.status} not in Anthropic's format: ${res.text.slice(0, 200)}`;
  return null;
}

async function check(s: Sent): Promise<void> {
  let res: { status: number; text: string; ms: number };
  try {
    res = await send(s);
  } catch (err) {
    throw new Error(`${s.endpoint.method} ${s.path ?? s.endpoint.path}: no answer (${(err as Error).message}) for ${String(s.body).slice(0, 300)}`);
  }
  const p = problem(s, res);
  if (p) throw new Error(`${s.endpoint.method} ${s.path ?? s.endpoint.path} ${JSON.stringify(s.headers ?? {})} ${String(s.body).slice(0, 300)} -> ${p}`);
}

/** Any JSON value, strings with odd characters (NUL, lone surrogates, RTL marks, long runs) included. */
const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '\u0000', '\uD800', '\u202E', 'constructor', '__proto__', 'toString', '1e400', 'a'.repeat(5000), '{"', '${x}', '../../etc/passwd'),
);
const extremeNumber = fc.constantFrom(0, -0, -1, 1e308, -1e308, 2 ** 53 + 1, 1e-320, 0.5, 4096, 10 ** 12);
const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    oddString, extremeNumber, fc.double(), fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(oddString, tie('value'), { maxKeys: 4 })),
})).value;

/** A valid body with one change that follows its shape: a field removed, retyped, emptied or doubled, an unknown field added, or a nested value replaced. */
function mutate(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    fc.tuple(fc.constantFrom(...keys), anyJson).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(oddString, anyJson).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.tuple(fc.constantFrom(...keys), extremeNumber).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.constantFrom(...keys).map((k) => ({ ...valid, [k]: Array.isArray(valid[k]) ? [] : typeof valid[k] === 'string' ? '' : {} })),
    fc.constantFrom(...keys).map((k) => ({ ...valid, [k]: [valid[k], valid[k]] })),
    fc.tuple(fc.constantFrom(...keys), anyJson).map(([k, v]) => ({ ...valid, [k]: Array.isArray(valid[k]) ? [...(valid[k] as unknown[]), v] : { inner: v } })),
  );
}

const oddHeaders = fc.record({
  'content-type': fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', ''),
  authorization: fc.constantFrom('Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${KEY} extra`, `bearer ${KEY}`, 'Bearer ' + 'k'.repeat(4000), `Bearer ${KEY}`),
  'x-gatehouse-metadata': fc.constantFrom('', '{', '{"a":1}', 'null', '[]', '{"k":"' + 'v'.repeat(3000) + '"}', 'a=b'),
  'x-gatehouse-cache': fc.constantFrom('true', 'false', 'maybe', ''),
  'anthropic-version': fc.constantFrom('2023-06-01', '', '1999-01-01'),
  accept: fc.constantFrom('*/*', 'text/event-stream', 'application/xml'),
}, { requiredKeys: [] });

const params = { numRuns: RUNS, interruptAfterTimeLimit: LONG ? 30 * 60_000 : 25_000, markInterruptAsFailure: false, endOnFailure: true } as const;

describe('HTTP fuzzing: no 5xx, no hang, every 4xx in the caller format', () => {
  it('arbitrary JSON bodies on every endpoint that takes one', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...POSTS), anyJson, async (endpoint, body) => check({ endpoint, body: JSON.stringify(body) })), params);
  });

  it('bodies that are not JSON at all', async () => {
    const raw = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('', '{', '{"model":', 'null', '[]', '"x"', '{"a":1}{"b":2}', '\u0000', '{"temperature":1e400}'));
    await fc.assert(fc.asyncProperty(fc.constantFrom(...POSTS), raw, async (endpoint, body) => check({ endpoint, body })), params);
  });

  it('schema-shaped mutations of valid bodies', async () => {
    const cases = fc.constantFrom(...WITH_BODY).chain((endpoint) => mutate(endpoint.valid).map((body) => ({ endpoint, body })));
    await fc.assert(fc.asyncProperty(cases, async ({ endpoint, body }) => check({ endpoint, body: JSON.stringify(body) })), params);
  });

  it('covers every path and method of the OpenAPI description', () => {
    const fuzzed = new Set(ENDPOINTS.map((e) => `${e.method} ${e.path.replace(/\/key_fuzz$/, '/{id}').replace(/\/fuzz-all\/versions\/1$/, '/{id}/versions/{v}').replace(/\/fuzz-(?:all|p)(\/test|\/versions|\/diff|\/backtest)?$/, '/{id}$1').replace(/\/(?:bt|tok)_fuzz$/, '/{id}').replace(/\/al_fuzz\/retry$/, '/{id}/retry').replace(/\/00000000-[0-9a-f-]+$/, '/{request_id}').replace(/^\/v1\/models\/[^/]+$/, '/v1/models/{id}')}`));
    const described = Object.entries(OPENAPI.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => m !== 'parameters').map((m) => `${m.toUpperCase()} ${path}`));
    expect(described.filter((d) => !fuzzed.has(d) && !d.endsWith('/metrics'))).toEqual([]);
  });

  it('each property of each OpenAPI body schema set just outside what it allows', async () => {
    const cases = fc.constantFrom(...WITH_BODY.filter((e) => bodySchema(e)?.properties)).chain((endpoint) => {
      const props = bodySchema(endpoint)!.properties!;
      return fc.constantFrom(...Object.keys(props)).chain((name) => fc.constantFrom(...outside(props[name])).map((value) => ({ endpoint, body: { ...endpoint.valid, [name]: value } })));
    });
    await fc.assert(fc.asyncProperty(cases, async ({ endpoint, body }) => check({ endpoint, body: JSON.stringify(body) })), params);
  });

  it('odd headers on valid requests', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ENDPOINTS), oddHeaders, async (endpoint, headers) => check({ endpoint, headers, body: endpoint.valid ? JSON.stringify(endpoint.valid) : undefined })), params);
  });

  it('odd paths and query strings', async () => {
    const pathArb = fc.tuple(fc.constantFrom(...ENDPOINTS), fc.oneof(
      fc.constantFrom('?from=x', '?from=1e400&to=-1', '?limit=-5', '?limit=999999999', '?group_by=__proto__', '?status=999', '?cursor=%%%', '?metadata.a=' + 'b'.repeat(2000), '/..', '%00', '/%2e%2e/', '?model=constructor'),
      fc.string({ maxLength: 30 }).map((s) => `?q=${encodeURIComponent(s)}`),
    ));
    await fc.assert(fc.asyncProperty(pathArb, async ([endpoint, suffix]) => check({ endpoint, path: endpoint.path + suffix, body: endpoint.valid ? JSON.stringify(endpoint.valid) : undefined })), params);
  });
});
