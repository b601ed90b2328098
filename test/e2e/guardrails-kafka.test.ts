import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startApp, type AppProcess } from '../support/app-process';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';

/**
 * Guardrail policies across separate processes over the real Kafka broker and Redis of the
 * integration setup: one guard (policies admin API, async-check workers on BullMQ), two ingress
 * replicas, one analytics. gatehouse.policies.v1 is the store of record.
 */

const ADMIN = 'test-admin-token-guardrails-kafka-0123';
const RUN = randomUUID().slice(0, 8);
const TEAM = `gk-${RUN}`;
const ASYNC_TEAM = `gk-async-${RUN}`;
const KEY = `gh-guardrails-kafka-${RUN}-0123456789`;
const ASYNC_KEY = `gh-guardrails-kafka-async-${RUN}-0123456789`;
const POLICY = `kafka-deny-${RUN}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | null>, timeoutMs: number, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** The status an ingress answers for a chat request with this text (the mock upstream answers 200 when it is let through). */
async function statusFor(ingress: AppProcess, text: string, key = KEY): Promise<{ status: number; code: string | null; requestId: string | null }> {
  const r = await fetch(`${ingress.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai-model', messages: [{ role: 'user', content: text }] }),
  });
  const body = (await r.json()) as { error?: { code?: string } };
  return { status: r.status, code: body.error?.code ?? null, requestId: r.headers.get('x-gatehouse-request-id') };
}

describe('guardrail policies over Kafka: one guard, two ingresses, analytics', () => {
  let mock: MockUpstream;
  let config: WrittenConfig;
  let guard: AppProcess;
  let ingresses: AppProcess[] = [];
  let analytics: AppProcess;
  let hook: { server: Server; url: string; calls: number; authorization: string[] };
  const analyticsDir = mkdtempSync(join(tmpdir(), 'gh-guardrails-analytics-'));
  const env = () => ({ GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN });

  const guardApi = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${guard.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${ADMIN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  async function putPolicy(words: string[]): Promise<number> {
    const r = await guardApi(`/admin/policies/${POLICY}`, { method: 'PUT', body: { scope: { teams: [TEAM] }, checks: [{ type: 'keywords', words, action: 'deny' }] } });
    expect(r.status).toBe(200);
    return ((await r.json()) as { version: number }).version;
  }

  /** Polls every ingress until each denies `word` with this policy; resolves with the slowest one's delay. */
  async function deniedEverywhere(word: string, since: number, timeoutMs: number): Promise<number> {
    const delays = await Promise.all(
      ingresses.map((ingress) =>
        waitFor(`ingress ${ingress.port} denies "${word}"`, async () => {
          const r = await statusFor(ingress, `tell me about ${word}`);
          return r.status === 400 && r.code === POLICY ? Date.now() - since : null;
        }, timeoutMs),
      ),
    );
    return Math.max(...delays);
  }

  beforeAll(async () => {
    mock = await startMockUpstream();
    mock.setDefault({ text: 'upstream answer' });
    hook = { server: createServer(), url: '', calls: 0, authorization: [] };
    hook.server.on('request', (req, res) => {
      hook.calls++;
      hook.authorization.push(req.headers.authorization ?? '');
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"pass": false, "score": 0.8}'), 1500));
    });
    await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
    hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/moderate`;
    config = writeGatewayConfig({
      mockUrl: mock.url,
      keys: [
        { name: `gk-${RUN}`, secret: KEY, team: TEAM },
        { name: `gk-async-${RUN}`, secret: ASYNC_KEY, team: ASYNC_TEAM },
      ],
    });
    [guard, analytics, ...ingresses] = await Promise.all([
      startApp('guard', { env: env() }),
      startApp('analytics', { env: { ...env(), GATEHOUSE_DATA_DIR: analyticsDir } }),
      startApp('ingress', { env: env() }),
      startApp('ingress', { env: env() }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([guard?.stop(), analytics?.stop(), ...ingresses.map((i) => i.stop())]);
    await mock?.close();
    await new Promise((resolve) => hook?.server.close(resolve));
    config?.remove();
    rmSync(analyticsDir, { recursive: true, force: true });
  });

  it('a policy PUT on the guard takes effect on both ingresses within 2 s, and so does its next version', async () => {
    for (const ingress of ingresses) expect((await statusFor(ingress, 'tell me about zanzibar')).status).toBe(200);

    let since = Date.now();
    expect(await putPolicy(['zanzibar'])).toBe(1);
    expect(await deniedEverywhere('zanzibar', since, 2000)).toBeLessThanOrEqual(2000);

    since = Date.now();
    expect(await putPolicy(['timbuktu'])).toBe(2);
    expect(await deniedEverywhere('timbuktu', since, 2000)).toBeLessThanOrEqual(2000);
    for (const ingress of ingresses) expect((await statusFor(ingress, 'tell me about zanzibar')).status).toBe(200);
  });

  it('both ingresses restarted still apply the latest version (replayed from the compacted topic)', async () => {
    await Promise.all(ingresses.map((i) => i.stop()));
    ingresses = await Promise.all([startApp('ingress', { env: env() }), startApp('ingress', { env: env() })]);
    for (const ingress of ingresses) {
      const denied = await statusFor(ingress, 'tell me about timbuktu');
      expect(denied).toMatchObject({ status: 400, code: POLICY });
      expect((await statusFor(ingress, 'tell me about zanzibar')).status).toBe(200);
    }
  });

  it('a restarted guard still lists the policy at its latest version', async () => {
    await guard.stop();
    guard = await startApp('guard', { env: env() });
    const list = (await (await guardApi('/admin/policies')).json()) as { data: Array<{ id: string; version: number; policy: { checks: Array<{ words?: string[] }> } }> };
    const mine = list.data.find((p) => p.id === POLICY);
    expect(mine).toMatchObject({ id: POLICY, version: 2 });
    expect(mine!.policy.checks[0].words).toEqual(['timbuktu']);
    expect(await putPolicy(['timbuktu', 'zanzibar'])).toBe(3);
  });

  it('an async webhook check runs in a guard worker (BullMQ on Redis): the request is not delayed, a flag verdict with async=true lands in analytics', async () => {
    const create = await guardApi('/admin/policies', {
      method: 'POST',
      body: { id: `kafka-async-${RUN}`, scope: { teams: [ASYNC_TEAM] }, checks: [{ type: 'webhook', url: hook.url, timeout_ms: 5000, async: true, headers: { authorization: 'Bearer hook-credential' } }] },
    });
    expect(create.status).toBe(201);
    await sleep(2000);

    const started = Date.now();
    const r = await statusFor(ingresses[0], 'please moderate this', ASYNC_KEY);
    const elapsed = Date.now() - started;
    expect(r.status).toBe(200);
    expect(elapsed).toBeLessThan(1000);

    const verdicts = await waitFor('the async verdict in analytics', async () => {
      const t = await fetch(`${analytics.url}/analytics/traces/${r.requestId}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      if (t.status !== 200) return null;
      const v = ((await t.json()) as { verdicts: Array<Record<string, unknown>> }).verdicts;
      return v.some((x) => Boolean(x.async)) ? v : null;
    }, 20_000, 250).catch(async (e: Error) => {
      const t = await fetch(`${analytics.url}/analytics/traces/${r.requestId}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      throw new Error(`${e.message}; webhook calls: ${hook.calls}; trace: ${t.status} ${await t.text()}\n--- guard log ---\n${guard.logs().slice(-3000)}`);
    });
    expect(verdicts.find((x) => Boolean(x.async))).toMatchObject({ policy_id: `kafka-async-${RUN}`, policy_version: 1, check_type: 'webhook', action: 'flag', outcome: 'fail', score: 0.8 });
    expect(hook.calls).toBe(1);
    expect(hook.authorization).toEqual(['Bearer hook-credential']);
  });

  it('a DELETE on the guard (tombstone) stops both ingresses applying the policy within 2 s', async () => {
    const del = await guardApi(`/admin/policies/${POLICY}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const since = Date.now();
    const delays = await Promise.all(
      ingresses.map((ingress) =>
        waitFor(`ingress ${ingress.port} lets "timbuktu" through`, async () => ((await statusFor(ingress, 'tell me about timbuktu')).status === 200 ? Date.now() - since : null), 2000),
      ),
    );
    expect(Math.max(...delays)).toBeLessThanOrEqual(2000);
    expect((await guardApi(`/admin/policies/${POLICY}`)).status).toBe(404);
  });
});
