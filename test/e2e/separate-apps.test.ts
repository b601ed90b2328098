import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startApp, type AppProcess } from '../support/app-process';

const ADMIN = 'test-admin-token-separate-apps';
const KEY = `gh-test-${randomUUID()}`;

function writeConfig(batchMaxMs: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gh-sep-'));
  const path = join(dir, 'gatehouse.yaml');
  writeFileSync(path, `
providers:
  mock: { type: mock }
models:
  gpt-4o-mini:
    targets: [{ provider: mock, model: gpt-4o-mini }]
keys:
  - { name: sep-test, key_sha256: ${createHash('sha256').update(KEY).digest('hex')}, team: sep-team }
analytics: { batch_max_ms: ${batchMaxMs}, batch_max_rows: 10000, ttl_days: 30 }
`);
  return path;
}

async function traceOf(analytics: AppProcess, id: string): Promise<Record<string, unknown> | null> {
  const r = await fetch(`${analytics.url}/analytics/traces/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : null;
}

async function waitFor<T>(fn: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function usageCount(analytics: AppProcess, tag: string): Promise<number> {
  const url = `${analytics.url}/analytics/usage?from=${Date.now() - 3600_000}&to=${Date.now() + 60_000}&group_by=team&metadata.run=${tag}`;
  const r = await fetch(url, { headers: { authorization: `Bearer ${ADMIN}` } });
  const body = (await r.json()) as { data: Array<{ requests: number }> };
  return body.data.reduce((s, g) => s + Number(g.requests), 0);
}

describe('ingress and analytics as separate processes over a real Kafka broker', () => {
  const config = writeConfig(3000);
  const env = { GATEHOUSE_CONFIG: config, GATEHOUSE_ADMIN_TOKEN: ADMIN };
  let ingress: AppProcess;
  let analytics: AppProcess;
  const analyticsDataDir = mkdtempSync(join(tmpdir(), 'gh-analytics-'));

  beforeAll(async () => {
    [ingress, analytics] = await Promise.all([
      startApp('ingress', { env }),
      startApp('analytics', { env: { ...env, GATEHOUSE_DATA_DIR: analyticsDataDir } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([ingress?.stop(), analytics?.stop()]);
  });

  it('a request through the ingress lands as a trace row in ClickHouse, queryable by id', async () => {
    const client = new OpenAI({ apiKey: KEY, baseURL: `${ingress.url}/v1` });
    const { response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'over kafka' }] }, { headers: { 'x-gatehouse-metadata': '{"run":"first"}' } })
      .withResponse();
    const id = response.headers.get('x-gatehouse-request-id')!;
    const trace = await waitFor(() => traceOf(analytics, id), 15_000);
    expect(trace).toMatchObject({ request_id: id, team: 'sep-team', key_name: 'sep-test', provider: 'mock', status: 200 });
    expect((trace.metadata as Record<string, string>).run).toBe('first');
  });

  it('traces produced while analytics is down, and during a kill -9 mid-ingest, land exactly once after restarts', async () => {
    const tag = `kill-${randomUUID()}`;
    const client = new OpenAI({ apiKey: KEY, baseURL: `${ingress.url}/v1` });
    await analytics.kill('SIGKILL');
    const send = () =>
      client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'crash me' }] }, { headers: { 'x-gatehouse-metadata': JSON.stringify({ run: tag }) } })
        .withResponse();
    const { response } = await send();
    const id = response.headers.get('x-gatehouse-request-id')!;
    const total = 300;
    for (let i = 1; i < total; i += 20) await Promise.all(Array.from({ length: Math.min(20, total - i) }, send));
    analytics = await startApp('analytics', { env: { ...env, GATEHOUSE_DATA_DIR: analyticsDataDir } });
    await analytics.kill('SIGKILL');
    analytics = await startApp('analytics', { env: { ...env, GATEHOUSE_DATA_DIR: analyticsDataDir } });
    await waitFor(() => traceOf(analytics, id), 20_000);
    await waitFor(async () => ((await usageCount(analytics, tag)) >= total ? true : null), 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await usageCount(analytics, tag)).toBe(total);
  });

  it('a key created on one ingress works on another within 2 s, and its revoke reaches the other within 2 s', async () => {
    const other = await startApp('ingress', { env });
    try {
      const created = await fetch(`${ingress.url}/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'replicated', team: 'sep-team' }),
      });
      const { id, key } = (await created.json()) as { id: string; key: string };
      const statusOn = async (app: AppProcess) =>
        (
          await fetch(`${app.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
          })
        ).status;
      let t0 = Date.now();
      await waitFor(async () => ((await statusOn(other)) === 200 ? true : null), 2000);
      expect(Date.now() - t0).toBeLessThan(2000);
      const revoked = await fetch(`${ingress.url}/admin/keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(revoked.status).toBe(200);
      t0 = Date.now();
      await waitFor(async () => ((await statusOn(other)) === 401 ? true : null), 2000);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(await statusOn(ingress)).toBe(401);
    } finally {
      await other.stop();
    }
  });
});
