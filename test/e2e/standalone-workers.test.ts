import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type AppProcess } from '../support/app-process';

/**
 * Standalone with GATEHOUSE_WORKERS=2: a primary (in-process bus, chDB, guard, analytics) and two HTTP
 * workers sharing the port. Every call below opens a fresh connection, so node:cluster hands them to
 * the workers in turn: a worker that missed a key, a revocation or a policy would fail about half.
 */

const DEV_KEY = 'gh-dev-insecure-example-key';
const ADMIN = 'test-admin-token-workers-0123456789';
const ROUND = 12;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP exchange, on a new TCP connection unless a keep-alive agent is given. */
function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown, agent: Agent | false = false): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, agent, headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Repeats fn until it returns a value or the time is up; returns the value and how long it took. */
async function within<T>(timeoutMs: number, fn: () => Promise<T | null>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  for (;;) {
    const value = await fn();
    if (value !== null) return { value, ms: Date.now() - start };
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function workerPids(primaryPid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(primaryPid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number).sort();
  } catch {
    return [];
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('standalone on two worker processes (GATEHOUSE_WORKERS=2)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-standalone-workers-'));
  const env = { GATEHOUSE_WORKERS: '2', KAFKA_BROKERS: '', REDIS_URL: '', CLICKHOUSE_URL: '', GATEHOUSE_CONFIG: '', GATEHOUSE_ADMIN_TOKEN: ADMIN, GATEHOUSE_DATA_DIR: dataDir };
  const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const adminAuth = auth(ADMIN);
  let app: AppProcess;

  const chat = (secret: string, content: string, metadata?: Record<string, string>) =>
    call(app.url, 'POST', '/v1/chat/completions', { ...auth(secret), ...(metadata ? { 'x-gatehouse-metadata': JSON.stringify(metadata) } : {}) }, { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

  /** ROUND chat calls at once on fresh connections (both workers); their statuses. */
  const round = async (secret: string, content = 'hello') => (await Promise.all(Array.from({ length: ROUND }, () => chat(secret, content)))).map((r) => r.status);

  async function start(): Promise<AppProcess> {
    const started = await startApp('standalone', { env, readyTimeoutMs: 60_000 });
    await within(20_000, async () => (workerPids(started.pid).length === 2 ? true : null));
    await within(20_000, async () => ((await Promise.all(Array.from({ length: 6 }, () => call(started.url, 'GET', '/readyz')))).every((r) => r.status === 200) ? true : null));
    return started;
  }

  async function usageRequests(tag: string): Promise<number> {
    const r = await call(app.url, 'GET', `/analytics/usage?group_by=team&metadata.run=${tag}`, adminAuth);
    if (r.status !== 200) throw new Error(`usage answered ${r.status}: ${r.body}`);
    const rows = (JSON.parse(r.body) as { data: Array<{ requests: number | string }> }).data;
    return rows.reduce((n, row) => n + Number(row.requests), 0);
  }

  beforeAll(async () => {
    app = await start();
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a primary and two workers; every one of many requests lands as a trace the analytics API counts', async () => {
    expect(workerPids(app.pid)).toHaveLength(2);
    const tag = `many-${Date.now()}`;
    const statuses: number[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => chat(DEV_KEY, `request ${batch}-${i}`, { run: tag })));
      statuses.push(...replies.map((r) => r.status));
    }
    expect(statuses).toEqual(Array(60).fill(200));
    const { value } = await within(10_000, async () => ((await usageRequests(tag)) === 60 ? 60 : null));
    expect(value).toBe(60);
  });

  it('forwards analytics, dashboard and unknown paths to the primary with status and headers kept', async () => {
    const dashboard = await call(app.url, 'GET', '/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers['content-type']).toMatch(/text\/html/);
    expect(dashboard.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await call(app.url, 'GET', '/analytics/usage')).status).toBe(401);
    const missing = await call(app.url, 'GET', '/analytics/traces/00000000-0000-4000-8000-000000000000', adminAuth);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toHaveProperty('error');
    expect((await call(app.url, 'GET', '/no-such-path')).status).toBe(404);
  });

  it('GET /metrics on any worker shows the counters of the whole cluster', async () => {
    const chatOk = async () => {
      const r = await call(app.url, 'GET', '/metrics');
      expect(r.status).toBe(200);
      const m = /^gatehouse_requests_total\{endpoint="chat",status="200"\} (\d+)$/m.exec(r.body);
      return Number(m?.[1] ?? 0);
    };
    const before = await chatOk();
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => chat(DEV_KEY, `counted ${i}`)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    const seen = await Promise.all(Array.from({ length: 6 }, chatOk));
    expect(seen).toEqual(Array(6).fill(before + 10));
  });

  it('a key created with POST /admin/keys works on every worker as soon as the call returns, and DELETE revokes it everywhere as soon as it returns', async () => {
    const created = await call(app.url, 'POST', '/admin/keys', adminAuth, { name: 'workers-key', team: 'workers', models: ['*'] });
    expect(created.status).toBe(201);
    const key = JSON.parse(created.body) as { id: string; key: string };
    expect(await round(key.key)).toEqual(Array(ROUND).fill(200));
    const listed = await Promise.all(Array.from({ length: 6 }, () => call(app.url, 'GET', `/admin/keys/${key.id}`, adminAuth)));
    expect(listed.map((r) => r.status)).toEqual(Array(6).fill(200));

    const revoked = await call(app.url, 'DELETE', `/admin/keys/${key.id}`, adminAuth);
    expect(revoked.status).toBe(200);
    expect(await round(key.key)).toEqual(Array(ROUND).fill(401));
  });

  it('read-your-writes also holds on keep-alive connections that were open to both workers before the write', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const overPool = (secret: string) => Promise.all(Array.from({ length: 8 }, () => call(app.url, 'POST', '/v1/chat/completions', auth(secret), { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'pooled' }] }, agent)));
      await overPool(DEV_KEY);
      const created = await call(app.url, 'POST', '/admin/keys', adminAuth, { name: 'pooled-key', team: 'workers', models: ['*'] }, agent);
      const key = JSON.parse(created.body) as { id: string; key: string };
      expect((await overPool(key.key)).map((r) => r.status)).toEqual(Array(8).fill(200));
      expect((await call(app.url, 'DELETE', `/admin/keys/${key.id}`, adminAuth, undefined, agent)).status).toBe(200);
      expect((await overPool(key.key)).map((r) => r.status)).toEqual(Array(8).fill(401));
    } finally {
      agent.destroy();
    }
  });

  it('a policy created through /admin/policies (served by the primary) applies on every worker', async () => {
    const word = `zebrafruit${Date.now()}`;
    const created = await call(app.url, 'POST', '/admin/policies', adminAuth, { id: 'workers-deny', scope: { teams: ['platform'] }, checks: [{ type: 'keywords', words: [word], action: 'deny' }] });
    expect(created.status).toBe(201);
    expect(await round(DEV_KEY, `tell me about ${word}`)).toEqual(Array(ROUND).fill(400));
    const denied = await chat(DEV_KEY, `more ${word}`);
    expect(JSON.parse(denied.body)).toMatchObject({ error: { type: 'guardrail_violation', code: 'workers-deny' } });
    expect(await round(DEV_KEY, 'an innocent question')).toEqual(Array(ROUND).fill(200));
  });

  it('replaces a worker killed with SIGKILL and keeps serving on both', async () => {
    const before = workerPids(app.pid);
    process.kill(before[0], 'SIGKILL');
    const { value: after } = await within(20_000, async () => {
      const now = workerPids(app.pid);
      return now.length === 2 && !now.includes(before[0]) ? now : null;
    });
    expect(after).toContain(before[1]);
    await within(20_000, async () => ((await Promise.all(Array.from({ length: 6 }, () => call(app.url, 'GET', '/readyz')))).every((r) => r.status === 200) ? true : null));
    const tag = `after-kill-${Date.now()}`;
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(DEV_KEY, `again ${i}`, { run: tag })));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    await within(10_000, async () => ((await usageRequests(tag)) === 20 ? true : null));
  });

  it('SIGTERM drains the workers then the primary (exit 0); a restart on the same data dir keeps keys, policies and traces', async () => {
    const kept = JSON.parse((await call(app.url, 'POST', '/admin/keys', adminAuth, { name: 'kept-key', team: 'kept', models: ['*'] })).body) as { key: string };
    expect(await round(kept.key)).toEqual(Array(ROUND).fill(200));
    const tag = `before-restart-${Date.now()}`;
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => chat(DEV_KEY, `persist ${i}`, { run: tag })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    const workers = workerPids(app.pid);

    expect(await app.kill('SIGTERM')).toBe(0);
    expect(workers.filter(pidAlive)).toEqual([]);

    app = await start();
    expect(await round(kept.key)).toEqual(Array(ROUND).fill(200));
    const denied = await round(DEV_KEY, 'a harmless question');
    expect(denied).toEqual(Array(ROUND).fill(200));
    const policy = await call(app.url, 'GET', '/admin/policies/workers-deny', adminAuth);
    expect(policy.status).toBe(200);
    const word = (JSON.parse(policy.body) as { policy: { checks: Array<{ words: string[] }> } }).policy.checks[0].words[0];
    expect(await round(DEV_KEY, `and ${word}`)).toEqual(Array(ROUND).fill(400));
    await within(10_000, async () => ((await usageRequests(tag)) === 10 ? true : null));
  });
});
