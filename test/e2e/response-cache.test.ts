import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { ADMIN_TOKEN, startGateway, writeGatewayConfig, type Gateway, type GatewayConfigOptions } from '../support/gateway-config';
import { runApp } from '../support/app-process';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRedis } = require('../support/services/redis') as { startRedis(): Promise<{ url: string; stop(): Promise<void> }> };

/**
 * The response cache end to end: standalone on the real Redis of the test run (REDIS_URL), then
 * standalone without Redis (two workers sharing the primary's entries), then with Redis going away.
 * Every prompt carries a per-run nonce, since the shared Redis outlives the run.
 */

const RUN = randomUUID();
const CACHED = 'gh-e2e-cache-key-search-0001';
const OTHER_TEAM = 'gh-e2e-cache-key-legal-0002';
const PLAIN = 'gh-e2e-cache-key-plain-0003';
const SAVER = 'gh-e2e-cache-key-saver-0004';
const GUARDED = 'gh-e2e-cache-key-guarded-0006';
const OUT_GUARDED = 'gh-e2e-cache-key-outguard-0007';
const MAX_ENTRY_BYTES = 8 * 1024;

const keys: GatewayConfigOptions['keys'] = [
  { name: 'cached', secret: CACHED, team: 'search', cache: { ttl_s: 600 } },
  { name: 'other-team', secret: OTHER_TEAM, team: 'legal', cache: { ttl_s: 600 } },
  { name: 'plain', secret: PLAIN, team: 'search' },
  { name: 'saver', secret: SAVER, team: 'savers', cache: { ttl_s: 600 } },
  { name: 'guarded', secret: GUARDED, team: 'guarded', cache: { ttl_s: 600 } },
  { name: 'out-guarded', secret: OUT_GUARDED, team: 'outguard', cache: { ttl_s: 600 } },
];

const prompt = (label: string) => `${label} ${RUN}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An entry is written after the response (off the request path): give the write time to land. */
const stored = () => sleep(300);

function clients(url: string, key: string) {
  return {
    openai: new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 }),
    anthropic: new Anthropic({ apiKey: key, baseURL: url, maxRetries: 0 }),
  };
}

interface Answer {
  cache: string | null;
  requestId: string;
  /** The body as received (non-stream), or the stream's events as the SDK parsed them, in order. */
  body: string;
}

type Variant = 'openai' | 'openai-stream' | 'anthropic' | 'anthropic-stream';

/** One chat call with an official SDK client, in the caller format and mode of the variant. */
async function ask(url: string, key: string, variant: Variant, text: string, headers: Record<string, string> = {}): Promise<Answer> {
  const c = clients(url, key);
  const model = variant.startsWith('openai') ? 'openai-model' : 'anthropic-model';
  const messages = [{ role: 'user' as const, content: text }];
  let response: Response;
  let body: string;
  if (variant === 'openai') {
    response = await c.openai.chat.completions.create({ model, messages, temperature: 0 }, { headers }).asResponse();
    body = await response.text();
  } else if (variant === 'openai-stream') {
    const r = await c.openai.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } }, { headers }).withResponse();
    response = r.response;
    const events: unknown[] = [];
    for await (const ev of r.data) events.push(ev);
    body = JSON.stringify(events);
  } else if (variant === 'anthropic') {
    response = await c.anthropic.messages.create({ model, max_tokens: 64, messages }, { headers }).asResponse();
    body = await response.text();
  } else {
    const r = await c.anthropic.messages.create({ model, max_tokens: 64, messages, stream: true }, { headers }).withResponse();
    response = r.response;
    const events: unknown[] = [];
    for await (const ev of r.data) events.push(ev);
    body = JSON.stringify(events);
  }
  return { cache: response.headers.get('x-gatehouse-cache'), requestId: response.headers.get('x-gatehouse-request-id')!, body };
}

async function metric(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((l) => pattern.test(l)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe('response cache on Redis', () => {
  let mock: MockUpstream;
  let gw: Gateway;

  beforeAll(async () => {
    expect(process.env.REDIS_URL).toMatch(/^redis:\/\//);
    mock = await startMockUpstream();
    gw = await startGateway({ mockUrl: mock.url, keys, cache: { max_entry_bytes: MAX_ENTRY_BYTES, default_ttl_s: 120 } }, { REDIS_URL: process.env.REDIS_URL! });
  });
  afterAll(async () => {
    await gw?.stop();
    await mock?.close();
  });
  beforeEach(() => mock.reset());

  it.each<Variant>(['openai', 'openai-stream', 'anthropic', 'anthropic-stream'])(
    '%s: the second identical request is a HIT with the same bytes/events, no upstream call, cost 0 and the saved cost traced',
    async (variant) => {
      mock.setDefault({ usage: { input: 1200, output: 300 } });
      const text = prompt(`identical ${variant}`);
      const first = await ask(gw.url, CACHED, variant, text);
      expect(first.cache).toBe('MISS');
      await stored();
      const upstreamCalls = mock.requests.length;
      const second = await ask(gw.url, CACHED, variant, text, { 'x-gatehouse-metadata': JSON.stringify({ user: 'someone-else' }) });
      expect(second.cache).toBe('HIT');
      expect(second.body).toBe(first.body);
      expect(mock.requests.length).toBe(upstreamCalls);

      const missTrace = await gw.trace(first.requestId);
      const hitTrace = await gw.trace(second.requestId);
      expect(missTrace).toMatchObject({ cache_status: 'MISS', cache_hit: false, cost_saved_usd: 0 });
      expect(missTrace.cost_usd as number).toBeGreaterThan(0);
      expect(hitTrace).toMatchObject({ cache_status: 'HIT', cache_hit: true, cost_usd: 0, attempts: 0, provider: missTrace.provider });
      expect(hitTrace.cost_saved_usd).toBeCloseTo(missTrace.cost_usd as number, 12);
    },
  );

  it('an entry stored through one gateway process is a HIT on another one sharing the Redis', async () => {
    const second = await startGateway({ mockUrl: mock.url, keys, cache: { max_entry_bytes: MAX_ENTRY_BYTES } }, { REDIS_URL: process.env.REDIS_URL! });
    try {
      for (const variant of ['openai-stream', 'anthropic'] as Variant[]) {
        const text = prompt(`shared ${variant}`);
        const first = await ask(gw.url, CACHED, variant, text);
        expect(first.cache).toBe('MISS');
        await stored();
        const calls = mock.requests.length;
        const other = await ask(second.url, CACHED, variant, text);
        expect(other).toMatchObject({ cache: 'HIT', body: first.body });
        expect(mock.requests.length).toBe(calls);
      }
    } finally {
      await second.stop();
    }
  });

  it('another team\'s identical request is a MISS (entries are per team); a changed parameter is a MISS', async () => {
    const text = prompt('team scope');
    expect((await ask(gw.url, CACHED, 'openai', text)).cache).toBe('MISS');
    await stored();
    expect((await ask(gw.url, CACHED, 'openai', text)).cache).toBe('HIT');
    expect((await ask(gw.url, OTHER_TEAM, 'openai', text)).cache).toBe('MISS');
    const c = clients(gw.url, CACHED);
    const r = await c.openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: text }], temperature: 0.5 }).withResponse();
    expect(r.response.headers.get('x-gatehouse-cache')).toBe('MISS');
  });

  it('x-gatehouse-cache: false bypasses; a key without cache opts in per request with true; other values are a 400 naming the header', async () => {
    const text = prompt('header');
    expect((await ask(gw.url, CACHED, 'openai', text)).cache).toBe('MISS');
    await stored();
    const before = mock.requests.length;
    const bypass = await ask(gw.url, CACHED, 'openai', text, { 'x-gatehouse-cache': 'false' });
    expect(bypass.cache).toBe('BYPASS');
    expect(mock.requests.length).toBe(before + 1);
    expect(await gw.trace(bypass.requestId)).toMatchObject({ cache_status: 'BYPASS', cache_hit: false });

    const plainText = prompt('plain key');
    expect((await ask(gw.url, PLAIN, 'anthropic', plainText)).cache).toBe('BYPASS');
    expect((await ask(gw.url, PLAIN, 'anthropic', plainText)).cache).toBe('BYPASS');
    expect((await ask(gw.url, PLAIN, 'anthropic', plainText, { 'x-gatehouse-cache': 'true' })).cache).toBe('MISS');
    await stored();
    expect((await ask(gw.url, PLAIN, 'anthropic', plainText, { 'x-gatehouse-cache': 'true' })).cache).toBe('HIT');

    const c = clients(gw.url, CACHED);
    const err = await c.openai.chat.completions
      .create({ model: 'openai-model', messages: [{ role: 'user', content: text }] }, { headers: { 'x-gatehouse-cache': 'maybe' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: 'x-gatehouse-cache', message: expect.stringContaining('x-gatehouse-cache') });
  });

  it('never caches an upstream error or a stream cut off mid-way', async () => {
    const text = prompt('errors');
    mock.enqueue({ status: 500, error_message: 'upstream exploded' });
    const c = clients(gw.url, CACHED);
    const failed = await c.openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: text }] }).withResponse().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).headers?.get('x-gatehouse-cache')).toBe('MISS');
    await stored();
    const retry = await ask(gw.url, CACHED, 'openai', text);
    expect(retry.cache).toBe('MISS');
    expect(JSON.parse(retry.body).choices[0].message.content).toBe('Hello from the mock upstream.');
    await stored();
    expect((await ask(gw.url, CACHED, 'openai', text)).cache).toBe('HIT');

    const cut = prompt('cut stream');
    mock.enqueue({ chunks: 6, reset_after_chunks: 3 });
    await expect(ask(gw.url, CACHED, 'anthropic-stream', cut)).rejects.toThrow();
    await stored();
    const whole = await ask(gw.url, CACHED, 'anthropic-stream', cut);
    expect(whole.cache).toBe('MISS');
    await stored();
    expect((await ask(gw.url, CACHED, 'anthropic-stream', cut)).cache).toBe('HIT');
  });

  it('an entry expires after the key\'s ttl_s (admin API key with cache.ttl_s = 1)', async () => {
    const created = await fetch(`${gw.url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `ttl-${RUN}`, team: 'ttl', cache: { ttl_s: 1 } }),
    });
    expect(created.status).toBe(201);
    const { key, cache } = (await created.json()) as { key: string; cache: unknown };
    expect(cache).toEqual({ ttl_s: 1 });
    const text = prompt('ttl');
    expect((await ask(gw.url, key, 'openai', text)).cache).toBe('MISS');
    await stored();
    expect((await ask(gw.url, key, 'openai', text)).cache).toBe('HIT');
    await sleep(1_300);
    expect((await ask(gw.url, key, 'openai', text)).cache).toBe('MISS');
  });

  it('rejects a ttl_s over the 7-day cap in the admin API, naming the field', async () => {
    const r = await fetch(`${gw.url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `too-long-${RUN}`, team: 'ttl', cache: { ttl_s: 8 * 86_400 } }),
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toContain('cache.ttl_s');
  });

  it('does not store a response over cache.max_entry_bytes, and counts it', async () => {
    const before = await metric(gw.url, /^gatehouse_cache_not_stored_total\{reason="too_large"\}/);
    mock.setDefault({ text: 'x'.repeat(MAX_ENTRY_BYTES + 100) });
    const text = prompt('too large');
    expect((await ask(gw.url, CACHED, 'openai', text)).cache).toBe('MISS');
    await stored();
    expect((await ask(gw.url, CACHED, 'openai', text)).cache).toBe('MISS');
    expect(await metric(gw.url, /^gatehouse_cache_not_stored_total\{reason="too_large"\}/)).toBe(before + 2);
  });

  it('runs input guardrails on hits: a redaction is part of the key, a deny added after the entry was stored still denies; output-redacted answers are not stored', async () => {
    const policy = async (team: string, body: Record<string, unknown>) => {
      const r = await fetch(`${gw.url}/admin/policies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: { teams: [team] }, ...body }),
      });
      expect(r.status).toBe(201);
      await sleep(300);
    };
    const banned = `zorblax${RUN.slice(0, 8)}`;
    const deniedLater = prompt(`about ${banned}`);
    expect((await ask(gw.url, GUARDED, 'openai', deniedLater)).cache).toBe('MISS');
    await stored();
    expect((await ask(gw.url, GUARDED, 'openai', deniedLater)).cache).toBe('HIT');

    await policy('guarded', { id: `mask-emails-${RUN.slice(0, 8)}`, checks: [{ type: 'pii', stage: 'input', entities: ['email'], action: 'redact' }] });
    await policy('guarded', { id: `ban-word-${RUN.slice(0, 8)}`, checks: [{ type: 'keywords', stage: 'input', words: [banned], action: 'deny' }] });
    const c = clients(gw.url, GUARDED);
    const denied = await c.openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: deniedLater }] }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.BadRequestError);
    expect((denied as InstanceType<typeof OpenAI.BadRequestError>).headers?.get('x-gatehouse-cache')).toBe('BYPASS');

    expect((await ask(gw.url, GUARDED, 'anthropic', prompt('write to alice@example.com'))).cache).toBe('MISS');
    await stored();
    const other = await ask(gw.url, GUARDED, 'anthropic', prompt('write to bob@example.org'));
    expect(other.cache).toBe('HIT');

    await policy('outguard', { id: `mask-out-${RUN.slice(0, 8)}`, checks: [{ type: 'pii', stage: 'output', entities: ['email'], action: 'redact' }] });
    mock.setDefault({ text: 'reach me at carol@example.com' });
    const leaky = prompt('who to mail');
    const first = await ask(gw.url, OUT_GUARDED, 'openai', leaky);
    expect(first.cache).toBe('MISS');
    expect(first.body).not.toContain('carol@example.com');
    await stored();
    expect((await ask(gw.url, OUT_GUARDED, 'openai', leaky)).cache).toBe('MISS');
  });

  it('shows the saved cost and the hits in /analytics/usage', async () => {
    mock.setDefault({ usage: { input: 5000, output: 1000 } });
    const text = prompt('savings');
    const first = await ask(gw.url, SAVER, 'anthropic', text);
    await stored();
    const second = await ask(gw.url, SAVER, 'anthropic', text);
    expect(second.cache).toBe('HIT');
    const cost = (await gw.trace(first.requestId)).cost_usd as number;
    await gw.trace(second.requestId);
    const from = Date.now() - 3_600_000;
    const r = await fetch(`${gw.url}/analytics/usage?group_by=team&from=${from}&to=${Date.now() + 1000}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(r.status).toBe(200);
    const rows = ((await r.json()) as { data: Array<Record<string, unknown>> }).data;
    const savers = rows.find((row) => row.team === 'savers');
    expect(savers).toMatchObject({ requests: 2, cache_hits: 1 });
    expect(savers!.cost_usd as number).toBeCloseTo(cost, 9);
    expect(savers!.cost_saved_usd as number).toBeCloseTo(cost, 9);
  });
});

describe('response cache without Redis (standalone, two workers sharing the primary\'s entries)', () => {
  let mock: MockUpstream;
  let gw: Gateway;

  beforeAll(async () => {
    mock = await startMockUpstream();
    gw = await startGateway({ mockUrl: mock.url, keys }, { REDIS_URL: '', GATEHOUSE_WORKERS: '2' });
  });
  afterAll(async () => {
    await gw?.stop();
    await mock?.close();
  });

  /** A fresh TCP connection per call, so node:cluster hands the calls to both workers in turn. */
  const post = (path: string, body: unknown) =>
    new Promise<{ cache: string; body: string }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = httpRequest(`${gw.url}${path}`, {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${CACHED}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ cache: String(res.headers['x-gatehouse-cache']), body: text }));
      });
      req.on('error', reject);
      req.end(payload);
    });

  it.each<[string, string, Record<string, unknown>]>([
    ['openai', '/v1/chat/completions', { model: 'openai-model', messages: [{ role: 'user', content: prompt('workers openai') }] }],
    ['anthropic stream', '/v1/messages', { model: 'openai-model', max_tokens: 32, stream: true, messages: [{ role: 'user', content: prompt('workers anthropic') }] }],
  ])('%s: one MISS, then every worker answers HIT with the same bytes', async (_, path, body) => {
    const first = await post(path, body);
    expect(first.cache).toBe('MISS');
    // The entry reaches the other worker through the primary (whose event loop also runs chDB).
    await sleep(500);
    const upstreamCalls = mock.requests.length;
    for (let i = 0; i < 6; i++) {
      const again = await post(path, body);
      expect(again).toEqual({ cache: 'HIT', body: first.body });
    }
    expect(mock.requests.length).toBe(upstreamCalls);
  });

  it('another team is a MISS here too', async () => {
    const text = prompt('workers team');
    expect((await ask(gw.url, CACHED, 'openai-stream', text)).cache).toBe('MISS');
    await stored();
    expect((await ask(gw.url, CACHED, 'openai-stream', text)).cache).toBe('HIT');
    expect((await ask(gw.url, OTHER_TEAM, 'openai-stream', text)).cache).toBe('MISS');
  });
});

describe('response cache while Redis is down', () => {
  let mock: MockUpstream;
  let gw: Gateway;
  let redis: { url: string; stop(): Promise<void> } | null = null;

  beforeAll(async () => {
    mock = await startMockUpstream();
    redis = await startRedis();
    gw = await startGateway({ mockUrl: mock.url, keys }, { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await gw?.stop();
    await mock?.close();
    await redis?.stop();
  });

  it('serves new requests as a MISS (counted), quickly, once Redis is gone', async () => {
    const text = prompt('outage');
    expect((await ask(gw.url, CACHED, 'openai', text)).cache).toBe('MISS');
    await stored();
    expect((await ask(gw.url, CACHED, 'openai', text)).cache).toBe('HIT');
    await redis!.stop();
    redis = null;
    for (const variant of ['openai', 'anthropic-stream'] as Variant[]) {
      const t = Date.now();
      const r = await ask(gw.url, CACHED, variant, prompt(`outage ${variant}`));
      expect(r.cache).toBe('MISS');
      expect(Date.now() - t).toBeLessThan(1_000);
    }
    expect(await metric(gw.url, /^gatehouse_cache_errors_total\{store="redis",op="get"\}/)).toBeGreaterThanOrEqual(2);
  });
});

describe('response cache config', () => {
  it('fails at start naming a key\'s cache.ttl_s over the cap', async () => {
    const config = writeGatewayConfig({ mockUrl: 'http://127.0.0.1:9', keys: [{ name: 'k', secret: 'gh-e2e-cache-cap-0005', cache: { ttl_s: 999_999_999 } }] });
    try {
      const r = await runApp('standalone', { GATEHOUSE_CONFIG: config.path, KAFKA_BROKERS: '', REDIS_URL: '' });
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('keys[0].cache.ttl_s');
    } finally {
      config.remove();
    }
  });
});
