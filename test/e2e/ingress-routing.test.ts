import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-routing-key-0001';
const FALLBACK = { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'anthropic', model: 'claude-sonnet-4-5' }], retry: { attempts: 0 } };

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({
    mockUrl: mock.url,
    keys: [{ name: 'routing', secret: KEY }],
    models: {
      'fallback-model': FALLBACK,
      'retry-model': { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }], retry: { attempts: 2, on: [429] } },
      'slow-model': { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }], retry: { attempts: 0 }, timeout: { first_byte_ms: 300, total_ms: 5000 } },
    },
  });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

const ask = (model: string) => openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] }).withResponse();

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('failover and retries', () => {
  it.each([
    ['answers 500', { status: 500 }],
    ['resets the connection', { reset: true }],
  ])('falls back to the second target when the first %s', async (_what, first) => {
    mock.enqueue(first);
    mock.enqueue({ text: 'from the second target' });
    const { data, response } = await ask('fallback-model');
    expect(data.choices[0].message.content).toBe('from the second target');
    expect(response.headers.get('x-gatehouse-attempts')).toBe('2');
    expect(response.headers.get('x-gatehouse-provider')).toBe('anthropic');
    expect(response.headers.get('x-gatehouse-model')).toBe('claude-sonnet-4-5');
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/messages']);
  });

  it('retries a 429 on the same target after its Retry-After', async () => {
    mock.enqueue({ status: 429, retry_after: 0.3 });
    mock.enqueue({ text: 'after the wait' });
    const { data, response } = await ask('retry-model');
    expect(data.choices[0].message.content).toBe('after the wait');
    expect(response.headers.get('x-gatehouse-attempts')).toBe('2');
    expect(response.headers.get('x-gatehouse-provider')).toBe('openai');
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[1].time - mock.requests[0].time).toBeGreaterThanOrEqual(280);
  });

  it('answers 502 with every attempt in error.details when all targets fail', async () => {
    mock.enqueue({ status: 500 });
    mock.enqueue({ status: 500 });
    const err = await ask('fallback-model').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.type).toBe('upstream_error');
    expect(e.headers?.get('x-gatehouse-attempts')).toBe('2');
    const attempts = (e.error as { details: { attempts: Array<{ provider: string; status: number }> } }).details.attempts;
    expect(attempts.map((a) => [a.provider, a.status])).toEqual([['openai', 500], ['anthropic', 500]]);
  });

  it('answers 503 in the Anthropic format when every target is rate limited or unavailable', async () => {
    mock.enqueue({ status: 429, retry_after: 0 });
    mock.enqueue({ status: 503 });
    const err = await anthropic.messages.create({ model: 'fallback-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    const e = err as InstanceType<typeof Anthropic.APIError>;
    expect(e.status).toBe(503);
    const body = e.error as { type: string; error: { type: string; details: { attempts: Array<{ status: number }> } } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('overloaded_error');
    expect(body.error.details.attempts.map((a) => a.status)).toEqual([429, 503]);
  });

  it('answers 504 when the upstream sends no headers within timeout.first_byte_ms', async () => {
    mock.enqueue({ latency_ms: 1500 });
    const started = Date.now();
    const err = await ask('slow-model').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((err as InstanceType<typeof OpenAI.APIError>).type).toBe('timeout_error');
    expect(Date.now() - started).toBeLessThan(1400);
  });
});

/** Reset behaviours pace their chunks so the gateway has streamed content to the client before the socket dies. */
describe('streams and upstream failures', () => {
  it('turns an upstream error before the first stream byte into an HTTP error, not a 200 stream', async () => {
    mock.enqueue({ status: 500, error_message: 'boom' });
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('upstream_error');
    expect(body.error.message).toContain('boom');
  });

  it('ends an OpenAI stream with an error event when the upstream resets after some chunks', async () => {
    mock.enqueue({ text: 'one two three four five six', chunks: 6, reset_after_chunks: 3, chunk_delay_ms: 20 });
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    const last = JSON.parse(events[events.length - 1]) as { error?: { type: string; message: string } };
    expect(last.error?.type).toBe('api_error');
    expect(last.error?.message).toMatch(/mid-stream/);
    const text = events.slice(0, -1).map((e) => (JSON.parse(e) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect('one two three four five six'.startsWith(text)).toBe(true);

    mock.enqueue({ text: 'one two three four five six', chunks: 6, reset_after_chunks: 3, chunk_delay_ms: 20 });
    const sdkErr = await openai.chat.completions.stream({ model: 'openai-model', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion().catch((e: unknown) => e);
    expect(sdkErr).toBeInstanceOf(OpenAI.APIError);
    expect((sdkErr as Error).message).toMatch(/mid-stream/);
  });

  it('ends an Anthropic stream with an error event when the upstream resets after some chunks', async () => {
    mock.enqueue({ text: 'one two three four five six', chunks: 6, reset_after_chunks: 5, chunk_delay_ms: 20 });
    const stream = anthropic.messages.stream({ model: 'anthropic-model', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as Error).message).toMatch(/mid-stream/);
    expect(texts.join('').length).toBeGreaterThan(0);
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    mock.enqueue({ text: 'x'.repeat(200), chunks: 100, chunk_delay_ms: 30 });
    const client = new AbortController();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      signal: client.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    client.abort();
    expect(mock.requests).toHaveLength(1);
    expect(await until(() => mock.requests[0].closedEarly, 1500)).toBe(true);
  });
});
