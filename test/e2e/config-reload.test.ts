import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import OpenAI from 'openai';
import { stringify } from 'yaml';
import { startApp, type AppProcess } from '../support/app-process';
import { ADMIN_TOKEN, gatewayConfigDocument, writeGatewayConfig, type GatewayConfigOptions, type WrittenConfig } from '../support/gateway-config';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';

const KEY = 'gh-e2e-reload-key-0001';
let a: MockUpstream;
let b: MockUpstream;
let file: WrittenConfig;
let app: AppProcess;
let openai: OpenAI;

const options = (target: 'a' | 'b', extra: Partial<GatewayConfigOptions> = {}): GatewayConfigOptions => ({
  mockUrl: a.url,
  keys: [{ name: 'reload', secret: KEY, team: 'reloaders' }],
  providers: {
    up_a: { type: 'openai', base_url: `${a.url}/v1`, api_key: 'sk-a' },
    ...(target === 'b' ? { up_b: { type: 'openai', base_url: `${b.url}/v1`, api_key: 'sk-b' } } : {}),
  },
  models: { live: { targets: [{ provider: `up_${target}`, model: `model-${target}` }], retry: { attempts: 0 } } },
  ...extra,
});
const rewrite = (doc: unknown) => writeFileSync(file.path, typeof doc === 'string' ? doc : stringify(doc));
const reload = () => fetch(`${app.url}/admin/config/reload`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
/** One call on a fresh connection (node:cluster hands new connections to the workers in turn). */
function fresh(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Record<string, unknown>; json: any }> {
  return new Promise((resolve, reject) => {
    const auth = path.startsWith('/admin') ? `Bearer ${ADMIN_TOKEN}` : `Bearer ${KEY}`;
    const req = request(`${app.url}${path}`, { method, agent: false, headers: { authorization: auth, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
const ask = () => openai.chat.completions.create({ model: 'live', messages: [{ role: 'user', content: 'hi' }] }).withResponse();

beforeAll(async () => {
  [a, b] = await Promise.all([startMockUpstream(), startMockUpstream()]);
  file = writeGatewayConfig(options('a'));
  // Two workers: a reload must reach both, whichever one the admin call lands on.
  app = await startApp('standalone', { env: { GATEHOUSE_CONFIG: file.path, GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN, KAFKA_BROKERS: '', REDIS_URL: '', GATEHOUSE_WORKERS: '2' } });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${app.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await app?.stop();
  file?.remove();
  await Promise.all([a?.close(), b?.close()]);
});

describe('live config reload', () => {
  it('moves a model to a new provider under 20 req/s without a failed request; new requests reach it within 1 s in every worker', async () => {
    rewrite(gatewayConfigDocument(options('a')));
    const results: Array<{ started: number; status: number; provider: string | null }> = [];
    let stop = false;
    const pending: Promise<void>[] = [];
    const t0 = Date.now();
    const loop = (async () => {
      // 20 req/s on a fixed schedule (a late timer does not lower the rate)
      for (let i = 0; !stop; i++) {
        const started = Date.now();
        pending.push(fresh('POST', '/v1/chat/completions', { model: 'live', messages: [{ role: 'user', content: 'hi' }] }).then(
          (r) => void results.push({ started, status: r.status, provider: (r.headers['x-gatehouse-provider'] as string | undefined) ?? null }),
          () => void results.push({ started, status: 0, provider: null }),
        ));
        await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i + 1) * 50 - Date.now())));
      }
    })();
    await new Promise((r) => setTimeout(r, 1000));
    rewrite(gatewayConfigDocument(options('b', { teams: { reloaders: { rpm: 12345 } } })));
    const reloadStarted = Date.now();
    const res = await reload();
    const reloadedAt = Date.now();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, providers: expect.arrayContaining(['up_b']), models: expect.arrayContaining(['live']) });
    await new Promise((r) => setTimeout(r, 2500));
    stop = true;
    await loop;
    await Promise.all(pending);

    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    const late = results.filter((r) => r.started >= reloadedAt + 1000);
    expect(late.length).toBeGreaterThan(10);
    expect(late.filter((r) => r.provider !== 'up_b').map((r) => `${r.started - reloadedAt} ms after: ${r.provider}`)).toEqual([]);
    // (a request sent just before the reload may reach a busy worker after it, so only "some" here)
    expect(results.some((r) => r.started < reloadStarted && r.provider === 'up_a')).toBe(true);
    expect(b.requests.every((r) => (r.body as { model: string }).model === 'model-b')).toBe(true);
    // Both workers routed to the new provider: each one's own targets view has it once it served a request after the reload
    // (node:cluster hands connections to the worker that is free first: under load one may have served none yet, so ask on).
    const views = new Map<number, string[]>();
    const hasNew = () => views.size === 2 && [...views.values()].every((t) => t.includes('up_b/model-b'));
    for (let i = 0; i < 200 && !hasNew(); i++) {
      if (i % 2 === 1) await fresh('POST', '/v1/chat/completions', { model: 'live', messages: [{ role: 'user', content: 'again' }] });
      const r = await fresh('GET', '/admin/targets');
      views.set(r.json.pid, r.json.data.map((t: { target: string }) => t.target));
    }
    expect(views.size).toBe(2);
    for (const targets of views.values()) expect(targets).toContain('up_b/model-b');
    const team = await (await fetch(`${app.url}/admin/teams/reloaders`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(team).toMatchObject({ name: 'reloaders', rpm: 12345 });
  }, 30_000);

  it('refuses an invalid file naming the field, and the running config keeps serving', async () => {
    const doc = gatewayConfigDocument(options('b')) as { models: Record<string, { targets: Array<{ provider: string }> }> };
    doc.models.live.targets[0].provider = 'nowhere';
    rewrite(doc);
    const res = await reload();
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('invalid_config');
    expect(body.error.message).toContain('models.live.targets[0].provider: unknown provider "nowhere"');
    for (let i = 0; i < 4; i++) expect((await ask()).response.headers.get('x-gatehouse-provider')).toBe('up_b');
    expect(app.logs()).toContain('config reload refused');
  });

  it('lets a request in flight finish on the config it started with, and reloads every worker on SIGHUP', async () => {
    rewrite(gatewayConfigDocument(options('b')));
    b.enqueue({ latency_ms: 1200, text: 'slow answer from b' });
    const slow = ask();
    await new Promise((r) => setTimeout(r, 300));
    rewrite(gatewayConfigDocument(options('a')));
    process.kill(app.pid, 'SIGHUP');
    const { data, response } = await slow;
    expect(data.choices[0].message.content).toBe('slow answer from b');
    expect(response.headers.get('x-gatehouse-provider')).toBe('up_b');
    await new Promise((r) => setTimeout(r, 1000));
    const providers = new Set<string | null>();
    for (let i = 0; i < 8; i++) providers.add((await ask()).response.headers.get('x-gatehouse-provider'));
    expect([...providers]).toEqual(['up_a']);
  });
});
