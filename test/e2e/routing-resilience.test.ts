import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { ADMIN_TOKEN, startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-resilience-key-0001';
/** Two upstream accounts on two mock servers, so each target's traffic is counted at its own mock. */
let a: MockUpstream;
let b: MockUpstream;
let c: MockUpstream;
let gw: Gateway;
let openai: OpenAI;
let anthropic: Anthropic;

const leaf = (provider: string, model: string, weight = 1) => ({ provider, model, weight });

beforeAll(async () => {
  [a, b, c] = await Promise.all([startMockUpstream({ maxRecorded: 20_000 }), startMockUpstream({ maxRecorded: 20_000 }), startMockUpstream()]);
  gw = await startGateway({
    mockUrl: a.url,
    keys: [{ name: 'resilience', secret: KEY }],
    providers: {
      up_a: { type: 'openai', base_url: `${a.url}/v1`, api_key: 'sk-a' },
      up_b: { type: 'openai', base_url: `${b.url}/v1`, api_key: 'sk-b' },
      up_c: { type: 'openai', base_url: `${c.url}/v1`, api_key: 'sk-c' },
    },
    models: {
      // Each scenario uses its own upstream model names: breakers are per target (provider/model).
      breaker: { targets: [leaf('up_a', 'brk'), leaf('up_b', 'brk')], retry: { attempts: 0 }, breaker: { failures: 5, cooldown_s: 1, half_open_probes: 1 } },
      hang: { targets: [leaf('up_a', 'hang'), leaf('up_b', 'hang')], timeout: { first_byte_ms: 400 } },
      stall: { targets: [leaf('up_a', 'stall'), leaf('up_b', 'stall')], timeout: { stream_idle_ms: 300 } },
      weighted: { strategy: 'loadbalance', targets: [leaf('up_a', 'w', 3), leaf('up_b', 'w', 1)] },
      fastest: { strategy: 'least-latency', targets: [leaf('up_a', 'fast'), leaf('up_b', 'slow')] },
      nested: { strategy: 'fallback', targets: [{ group: 'pool' }, leaf('up_c', 'last')], retry: { attempts: 0 } },
      pool: { strategy: 'loadbalance', targets: [leaf('up_a', 'pooled'), { group: 'single' }], retry: { attempts: 0 } },
      single: { targets: [leaf('up_b', 'single')] },
      'emb-retry': { targets: [leaf('up_a', 'text-embedding-3-small')], retry: { attempts: 2, on: [503], backoff_ms: 10 } },
      'emb-timeout': { targets: [leaf('up_a', 'emb-hang'), leaf('up_b', 'emb-ok')], timeout: { first_byte_ms: 300 } },
    },
  });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await Promise.all([a?.close(), b?.close(), c?.close()]);
});
beforeEach(() => {
  a.reset();
  b.reset();
  c.reset();
});

const chat = (model: string, extra: Record<string, unknown> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
  });

/** Sends `total` requests with `concurrency` in flight; returns the statuses. */
async function load(total: number, concurrency: number, send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const r = await send();
      await r.arrayBuffer();
      statuses.push(r.status);
    }
  }));
  return statuses;
}

describe('circuit breaker', () => {
  it('keeps 1,000 requests whole while one of two targets answers 500, and sends the failing one only probes once open', async () => {
    a.setDefault({ status: 500 });
    const concurrency = 16;
    const started = Date.now();
    const statuses = await load(1000, concurrency, () => chat('breaker'));
    const seconds = (Date.now() - started) / 1000;
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(b.requests.length).toBeGreaterThanOrEqual(1000);
    // Until the 5th failure opens the breaker, requests in flight may still reach it; after that only
    // one probe per cooldown (1 s) gets through.
    const allowed = 5 + concurrency + Math.ceil(seconds) + 1;
    expect(a.requests.length).toBeLessThanOrEqual(allowed);

    const view = (await (await fetch(`${gw.url}/admin/targets`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { data: Array<Record<string, unknown>> };
    const failing = view.data.find((t) => t.target === 'up_a/brk');
    expect(failing).toMatchObject({ state: expect.stringMatching(/open|half_open/), last_error: { message: expect.stringContaining('up_a returned 500') } });
    expect(view.data.find((t) => t.target === 'up_b/brk')).toMatchObject({ state: 'closed', error_rate: 0 });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_target_breaker_state\{target="up_a\/brk"\} [12]/);
  }, 60_000);
});

describe('timeouts', () => {
  it('answers from the fallback within first_byte_ms + its latency when a target hangs', async () => {
    a.setDefault({ hang: true });
    b.setDefault({ latency_ms: 100, text: 'from b' });
    const started = Date.now();
    const { data, response } = await openai.chat.completions.create({ model: 'hang', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const took = Date.now() - started;
    expect(data.choices[0].message.content).toBe('from b');
    expect(response.headers.get('x-gatehouse-provider')).toBe('up_b');
    expect(response.headers.get('x-gatehouse-attempts')).toBe('2');
    expect(took).toBeGreaterThanOrEqual(400 + 100);
    expect(took).toBeLessThan(400 + 100 + 400);
  });

  it('ends a stalled OpenAI stream after the idle gap with an error event, keeping the 3 chunks and never a second answer', async () => {
    a.setDefault({ text: 'one two three four five six', chunks: 6, stall_after_chunks: 4 });
    const started = Date.now();
    const res = await chat('stall', { stream: true });
    expect(res.status).toBe(200);
    const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => JSON.parse(e.replace(/^data: /, '')) as Record<string, any>);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const last = events[events.length - 1];
    expect(last.error).toMatchObject({ type: 'timeout_error', message: expect.stringContaining('idle for more than 300 ms') });
    const text = events.slice(0, -1).map((e) => e.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('one two three four five six'.slice(0, text.length));
    expect(events.slice(0, -1).filter((e) => e.choices[0]?.delta?.content)).toHaveLength(3);
    expect(b.requests).toHaveLength(0);
  });

  it('ends a stalled Anthropic stream with an error event in the Anthropic format', async () => {
    a.setDefault({ text: 'one two three four five six', chunks: 6, stall_after_chunks: 4 });
    const stream = anthropic.messages.stream({ model: 'stall', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as Error).message).toMatch(/idle for more than 300 ms/);
    expect(texts).toHaveLength(3);
    expect(b.requests).toHaveLength(0);
  });
});

describe('strategies', () => {
  it('splits loadbalance 3:1 over 4,000 requests within ±5 % of 75/25', async () => {
    const statuses = await load(4000, 16, () => chat('weighted'));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const share = a.requests.length / (a.requests.length + b.requests.length);
    expect(a.requests.length + b.requests.length).toBe(4000);
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  }, 150_000);

  it('sends at least 90 % to a 10 ms target over a 200 ms one with least-latency', async () => {
    a.setDefault({ latency_ms: 10 });
    b.setDefault({ latency_ms: 200 });
    await load(300, 8, () => chat('fastest'));
    expect(a.requests.length / 300).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('walks a nested group: fallback → load-balanced pool → single target, each level seen at the mock', async () => {
    a.setDefault({ status: 500 });
    b.setDefault({ status: 500 });
    c.setDefault({ text: 'from the last target' });
    const { data, response } = await openai.chat.completions.create({ model: 'nested', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.choices[0].message.content).toBe('from the last target');
    expect(response.headers.get('x-gatehouse-attempts')).toBe('3');
    expect(response.headers.get('x-gatehouse-provider')).toBe('up_c');
    expect(a.requests.map((r) => (r.body as { model: string }).model)).toEqual(['pooled']);
    expect(b.requests.map((r) => (r.body as { model: string }).model)).toEqual(['single']);
    expect(c.requests.map((r) => (r.body as { model: string }).model)).toEqual(['last']);
    expect(c.requests[0].time).toBeGreaterThanOrEqual(Math.max(a.requests[0].time, b.requests[0].time));
    // Every attempt is in the trace: target, status, latency, error class, breaker state.
    const trace = await gw.trace(response.headers.get('x-gatehouse-request-id')!);
    const attempts = trace.attempt_details as Array<{ provider: string; model: string; status: number; error_type: string | null; latency_ms: number; breaker: string }>;
    expect(attempts.map((x) => [x.provider, x.model, x.status, x.breaker]).sort()).toEqual([
      ['up_a', 'pooled', 500, 'closed'], ['up_b', 'single', 500, 'closed'], ['up_c', 'last', 200, 'closed'],
    ]);
    expect(attempts.every((x) => x.latency_ms > 0)).toBe(true);
    expect(attempts[2]).toMatchObject({ provider: 'up_c', error_type: null });
    expect(trace).toMatchObject({ provider: 'up_c', model_upstream: 'last', attempts: 3 });
  });
});

describe('embeddings use the same engine', () => {
  it('retries retry.attempts times on the configured status', async () => {
    a.enqueue({ status: 503 });
    a.enqueue({ status: 503 });
    const { data, response } = await openai.embeddings.create({ model: 'emb-retry', input: 'hi' }).withResponse();
    expect(data.data).toHaveLength(1);
    expect(response.headers.get('x-gatehouse-attempts')).toBe('3');
    expect(a.requests).toHaveLength(3);
    a.enqueue({ status: 503 });
    a.enqueue({ status: 503 });
    a.enqueue({ status: 503 });
    const err = await openai.embeddings.create({ model: 'emb-retry', input: 'hi' }).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(a.requests).toHaveLength(6);
  });

  it('gives each attempt the first-byte timeout, not the whole total timeout', async () => {
    a.setDefault({ hang: true });
    const started = Date.now();
    const { response } = await openai.embeddings.create({ model: 'emb-timeout', input: 'hi' }).withResponse();
    expect(response.headers.get('x-gatehouse-provider')).toBe('up_b');
    expect(Date.now() - started).toBeLessThan(300 + 500);
  });

  it('maps an upstream 413 like chat does', async () => {
    a.enqueue({ status: 413, error_message: 'input too long' });
    const err = await openai.embeddings.create({ model: 'emb-retry', input: 'hi' }).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((err as InstanceType<typeof OpenAI.APIError>).type).toBe('request_too_large');
  });
});
