import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type AppProcess } from '../support/app-process';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { envNumber, LONG } from '../fuzz/profile';
import { formatReport, withKeptNotes, type ScenarioReport } from './report';

const { startKafka } = require('../support/services/kafka') as { startKafka: () => Promise<{ brokers: string; stop(): Promise<void>; restart(downMs?: number): Promise<void> }> };
const { startRedis } = require('../support/services/redis') as { startRedis: () => Promise<{ url: string; stop(): Promise<void>; restart(downMs?: number): Promise<void> }> };
const { startClickHouseHttp } = require('../support/services/clickhouse-http') as {
  startClickHouseHttp: () => Promise<{ url: string; stop(): Promise<void>; close(): Promise<void>; open(): Promise<void>; hang(): Promise<void>; hangInserts(): Promise<void>; resume(): Promise<void> }>;
};

/**
 * Fault injection on the distributed apps (ingress and analytics as separate processes, a Kafka
 * broker and a Redis of their own, analytics on a ClickHouse HTTP endpoint served by chDB in a
 * process of its own): a broker restart under load, analytics SIGKILL under load, ClickHouse
 * unavailable (connections refused) under load, ClickHouse hung (accepting, answering nothing, then
 * applying the held requests late) and throttling inserts (reads answered, inserts held and applied
 * late) under load, a Redis restart under load (the key's response
 * cache lives there), a hanging and a failing target beside a healthy one. For each: client errors, traces produced (= answers
 * the clients got) against traces landed in ClickHouse, duplicates, recovery time. The report is
 * printed; GATEHOUSE_RESILIENCE_REPORT=<file> writes it (docs/resilience.md keeps one run), keeping the
 * notes after the file's marker line.
 * GATEHOUSE_LONG_TESTS=1 makes the load and the outages longer.
 */
const LOAD_MS = envNumber('GATEHOUSE_CHAOS_LOAD_MS', LONG ? 60_000 : 6_000);
const KAFKA_DOWN_MS = envNumber('GATEHOUSE_CHAOS_KAFKA_DOWN_MS', LONG ? 30_000 : 3_000);
const ANALYTICS_DOWN_MS = LONG ? 15_000 : 2_000;
const REDIS_DOWN_MS = LONG ? 30_000 : 2_000;
const CLICKHOUSE_DOWN_MS = envNumber('GATEHOUSE_CHAOS_CLICKHOUSE_DOWN_MS', LONG ? 60_000 : 15_000);
const CLICKHOUSE_HUNG_MS = envNumber('GATEHOUSE_CHAOS_CLICKHOUSE_HUNG_MS', LONG ? 60_000 : 10_000);
/** analytics' ClickHouse request timeout in this suite: shorter than the hang, so requests time out, are retried, and the held ones still execute later. */
const CLICKHOUSE_TIMEOUT_MS = 3_000;
const CONCURRENCY = LONG ? 16 : 4;
const HANG_TIMEOUT_MS = 1_000;
const ADMIN = `admin-${randomUUID()}`;
const KEY = `gh-chaos-${randomUUID()}`;
/** A key of its own team for the stalled-ClickHouse scenarios, so that team's hourly rollup counts only their requests. */
const STALL_KEY = `gh-chaos-stall-${randomUUID()}`;

let kafka: Awaited<ReturnType<typeof startKafka>>;
let redis: Awaited<ReturnType<typeof startRedis>>;
let clickhouse: Awaited<ReturnType<typeof startClickHouseHttp>>;
let hang: MockUpstream;
let fail: MockUpstream;
let ingress: AppProcess;
let analytics: AppProcess;
let env: Record<string, string>;
let analyticsEnv: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'gh-chaos-'));
const reports: ScenarioReport[] = [];

beforeAll(async () => {
  // allSettled: when one service fails to start, the others are assigned before afterAll stops them.
  const started = await Promise.allSettled([
    startKafka().then((k) => (kafka = k)),
    startRedis().then((r) => (redis = r)),
    startClickHouseHttp().then((c) => (clickhouse = c)),
    startMockUpstream().then((m) => (hang = m)),
    startMockUpstream().then((m) => (fail = m)),
  ]);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  hang.setDefault({ hang: true });
  fail.setDefault({ status: 500, error_message: 'upstream exploded' });
  const config = join(dir, 'gatehouse.yaml');
  writeFileSync(config, `
providers:
  local: { type: mock }
  hanging: { type: openai, base_url: "${hang.url}/v1", api_key: chaos-hanging-key-0001 }
  failing: { type: openai, base_url: "${fail.url}/v1", api_key: chaos-failing-key-0001 }
models:
  ok-model: { targets: [{ provider: local, model: mock-1 }] }
  hang-model: { targets: [{ provider: hanging, model: gpt-4o-mini }], retry: { attempts: 0 }, timeout: { first_byte_ms: ${HANG_TIMEOUT_MS}, total_ms: ${HANG_TIMEOUT_MS} } }
  fail-model: { targets: [{ provider: failing, model: gpt-4o-mini }], retry: { attempts: 0 } }
keys:
  - { name: chaos, key_sha256: ${createHash('sha256').update(KEY).digest('hex')}, team: chaos, cache: { ttl_s: 60 } }
  - { name: chaos-stall, key_sha256: ${createHash('sha256').update(STALL_KEY).digest('hex')}, team: chaos-stall }
analytics: { batch_max_ms: 300, batch_max_rows: 10000, ttl_days: 30 }
`);
  env = { GATEHOUSE_CONFIG: config, GATEHOUSE_ADMIN_TOKEN: ADMIN, KAFKA_BROKERS: kafka.brokers, REDIS_URL: redis.url };
  analyticsEnv = { ...env, GATEHOUSE_DATA_DIR: join(dir, 'analytics'), CLICKHOUSE_URL: clickhouse.url, CLICKHOUSE_DATABASE: `gh_chaos_${Date.now()}`, CLICKHOUSE_REQUEST_TIMEOUT_MS: String(CLICKHOUSE_TIMEOUT_MS) };
  [ingress, analytics] = await Promise.all([startApp('ingress', { env }), startApp('analytics', { env: analyticsEnv })]);
}, 180_000);

afterAll(async () => {
  const report = formatReport(reports, { loadMs: LOAD_MS, concurrency: CONCURRENCY, long: LONG });
  process.stdout.write(`\n${report}\n`);
  const file = process.env.GATEHOUSE_RESILIENCE_REPORT;
  if (file) writeFileSync(file, withKeptNotes(report, existsSync(file) ? readFileSync(file, 'utf8') : null));
  await Promise.all([ingress?.stop(), analytics?.stop()]);
  await Promise.all([kafka?.stop(), redis?.stop(), clickhouse?.stop(), hang?.close(), fail?.close()]);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

interface LoadResult {
  /** Answers by status ("error" = no answer). */
  statuses: Map<string, number>;
  /** Request ids of every answer: each is a trace the ingress produced. */
  ids: string[];
  maxMs: number;
}

/** `concurrency` clients sending chat requests tagged run=<tag> until `ms` have passed. */
async function load(model: string, tag: string, ms: number, concurrency = CONCURRENCY, key = KEY): Promise<LoadResult> {
  const statuses = new Map<string, number>();
  const ids: string[] = [];
  let maxMs = 0;
  const end = Date.now() + ms;
  const client = async () => {
    while (Date.now() < end) {
      const t0 = Date.now();
      let status = 'error';
      try {
        const r = await fetch(`${ingress.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-gatehouse-metadata': JSON.stringify({ run: tag }) },
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'chaos' }] }),
          signal: AbortSignal.timeout(15_000),
        });
        await r.arrayBuffer();
        status = String(r.status);
        const id = r.headers.get('x-gatehouse-request-id');
        if (id) ids.push(id);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      maxMs = Math.max(maxMs, Date.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { statuses, ids, maxMs };
}

async function getJson<T>(path: string): Promise<T | null> {
  try {
    const r = await fetch(`${analytics.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` }, signal: AbortSignal.timeout(5_000) });
    return r.status === 200 ? ((await r.json()) as T) : null;
  } catch {
    return null;
  }
}

/** Rows in ClickHouse for a tag: the usage rollup's request count and the distinct request ids of the trace list. */
async function landed(tag: string): Promise<{ rows: number; distinct: number }> {
  const from = Date.now() - 3_600_000;
  const to = Date.now() + 60_000;
  const usage = await getJson<{ data: Array<{ requests: number }> }>(`/analytics/usage?from=${from}&to=${to}&group_by=team&metadata.run=${tag}`);
  const rows = usage ? usage.data.reduce((s, g) => s + Number(g.requests), 0) : -1;
  const seen = new Set<string>();
  let listed = 0;
  let cursor: string | null = null;
  do {
    const page: { data: Array<{ request_id: string }>; next_cursor: string | null } | null = await getJson(`/analytics/traces?from=${from}&to=${to}&metadata.run=${tag}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    if (!page) return { rows, distinct: -1 };
    for (const t of page.data) seen.add(t.request_id);
    listed += page.data.length;
    cursor = page.next_cursor;
  } while (cursor);
  return { rows: Math.max(rows, listed), distinct: seen.size };
}

/** Straight from ClickHouse: physical trace rows of a tag (before any merge) and the rows the team's hourly rollup counted. */
async function physical(tag: string, team: string): Promise<{ traceRows: number; rollupRequests: number }> {
  const sql = `SELECT
      (SELECT count() FROM ${analyticsEnv.CLICKHOUSE_DATABASE}.traces WHERE metadata['run'] = {tag:String}) AS trace_rows,
      (SELECT sum(requests) FROM ${analyticsEnv.CLICKHOUSE_DATABASE}.usage_hourly WHERE team = {team:String}) AS rollup_requests
    FORMAT JSONEachRow`;
  const r = await fetch(`${clickhouse.url}/?param_tag=${encodeURIComponent(tag)}&param_team=${encodeURIComponent(team)}`, { method: 'POST', body: sql });
  const row = JSON.parse(await r.text()) as { trace_rows: string | number; rollup_requests: string | number };
  return { traceRows: Number(row.trace_rows), rollupRequests: Number(row.rollup_requests) };
}

/** Waits until every produced trace landed; returns the ms it took (null: not within the timeout) and the final counts. */
async function settle(tag: string, produced: number, timeoutMs: number): Promise<{ ms: number | null; rows: number; distinct: number }> {
  const t0 = Date.now();
  let last = { rows: 0, distinct: 0 };
  while (Date.now() - t0 < timeoutMs) {
    last = await landed(tag);
    if (last.distinct >= produced && last.rows >= produced) {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return { ms: Date.now() - t0 - 1_500, ...(await landed(tag)) };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { ms: null, ...last };
}

/** The ingress and analytics log lines at warn level or above, for a report row whose traces did not all land. */
function logTail(): string {
  const pick = (app: AppProcess) => app.logs().split('\n').filter((l) => /"level":(4|5|6)0/.test(l)).slice(-5).map((l) => l.slice(0, 300));
  return [...pick(ingress).map((l) => `ingress: ${l}`), ...pick(analytics).map((l) => `analytics: ${l}`)].join('\n');
}

const count = (r: LoadResult, status: string) => r.statuses.get(status) ?? 0;
const clientErrors = (r: LoadResult) => [...r.statuses].filter(([s]) => s !== '200').reduce((n, [, v]) => n + v, 0);

describe('fault injection on ingress + analytics over Kafka', () => {
  it('Kafka broker restart under load: no client error, every trace lands once', async () => {
    const tag = `kafka-${randomUUID()}`;
    const running = load('ok-model', tag, LOAD_MS);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS / 4));
    const down = Date.now();
    await kafka.restart(KAFKA_DOWN_MS);
    const back = Date.now();
    const result = await running;
    const s = await settle(tag, result.ids.length, 120_000);
    if (s.ms === null) process.stderr.write(`Kafka restart: traces did not all land; logs:\n${logTail()}\n`);
    reports.push({
      name: `Kafka broker restart (down ${((back - down) / 1000).toFixed(1)} s) under load`,
      statuses: result.statuses, produced: result.ids.length, landed: s.distinct, rows: s.rows, settleMs: s.ms,
      note: `broker back after ${back - down} ms; max client latency ${result.maxMs} ms`,
    });
    expect(clientErrors(result)).toBe(0);
    expect(s.distinct).toBe(result.ids.length);
    expect(s.rows).toBe(result.ids.length);
  }, 300_000);

  it('analytics SIGKILL under load: every trace lands once after the restart', async () => {
    const tag = `analytics-${randomUUID()}`;
    const t0 = Date.now();
    const running = load('ok-model', tag, LOAD_MS);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS / 4));
    const killed = Date.now();
    await analytics.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, ANALYTICS_DOWN_MS));
    analytics = await startApp('analytics', { env: analyticsEnv });
    const restarted = Date.now();
    const result = await running;
    const s = await settle(tag, result.ids.length, 120_000);
    reports.push({
      name: `analytics SIGKILL, restarted after ${ANALYTICS_DOWN_MS / 1000} s, under load`,
      statuses: result.statuses, produced: result.ids.length, landed: s.distinct, rows: s.rows, settleMs: s.ms,
      note: `analytics killed ${killed - t0} ms into the load, serving again at ${restarted - t0} ms`,
    });
    expect(clientErrors(result)).toBe(0);
    expect(s.distinct).toBe(result.ids.length);
    expect(s.rows).toBe(result.ids.length);
  }, 300_000);

  it('ClickHouse unavailable under load: no client error, every trace lands once after it is back', async () => {
    const tag = `clickhouse-${randomUUID()}`;
    const running = load('ok-model', tag, LOAD_MS);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS / 4));
    await clickhouse.close();
    const down = Date.now();
    await new Promise((resolve) => setTimeout(resolve, CLICKHOUSE_DOWN_MS / 2));
    const readyWhileDown = await fetch(`${analytics.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0);
    await new Promise((resolve) => setTimeout(resolve, down + CLICKHOUSE_DOWN_MS - Date.now()));
    await clickhouse.open();
    const back = Date.now();
    const result = await running;
    const s = await settle(tag, result.ids.length, 120_000);
    if (s.ms === null) process.stderr.write(`ClickHouse outage: traces did not all land; logs:\n${logTail()}\n`);
    reports.push({
      name: `ClickHouse unavailable (connections refused ${((back - down) / 1000).toFixed(1)} s) under load`,
      statuses: result.statuses, produced: result.ids.length, landed: s.distinct, rows: s.rows, settleMs: s.ms,
      note: `analytics /readyz ${readyWhileDown} while down; max client latency ${result.maxMs} ms`,
    });
    expect(clientErrors(result)).toBe(0);
    expect(readyWhileDown).toBe(503);
    expect(s.distinct).toBe(result.ids.length);
    expect(s.rows).toBe(result.ids.length);
  }, 300_000);

  it.each([
    ['hung (accepts, answers nothing, then applies what it held)', 'hang' as const],
    ['throttling inserts (answers reads, holds inserts, applies them late)', 'hangInserts' as const],
  ])('ClickHouse %s under load: no client error, every trace lands once', async (what, mode) => {
    const tag = `clickhouse-${mode}-${randomUUID()}`;
    const before = await physical(tag, 'chaos-stall');
    const running = load('ok-model', tag, LOAD_MS, CONCURRENCY, STALL_KEY);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS / 4));
    await clickhouse[mode]();
    const down = Date.now();
    await new Promise((resolve) => setTimeout(resolve, CLICKHOUSE_HUNG_MS * 0.8));
    const readyWhileHung = await fetch(`${analytics.url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0);
    await new Promise((resolve) => setTimeout(resolve, down + CLICKHOUSE_HUNG_MS - Date.now()));
    await clickhouse.resume();
    const back = Date.now();
    const result = await running;
    const s = await settle(tag, result.ids.length, 120_000);
    const after = await physical(tag, 'chaos-stall');
    if (s.ms === null || s.rows !== result.ids.length) process.stderr.write(`ClickHouse ${mode}: counts off; logs:\n${logTail()}\n`);
    reports.push({
      name: `ClickHouse ${what} for ${((back - down) / 1000).toFixed(1)} s (request timeout ${CLICKHOUSE_TIMEOUT_MS / 1000} s) under load`,
      statuses: result.statuses, produced: result.ids.length, landed: s.distinct, rows: s.rows, settleMs: s.ms,
      note: `analytics /readyz ${readyWhileHung} meanwhile; physical trace rows ${after.traceRows}, rollup requests ${after.rollupRequests - before.rollupRequests}; max client latency ${result.maxMs} ms`,
    });
    expect(after.rollupRequests - before.rollupRequests).toBe(result.ids.length);
    expect(clientErrors(result)).toBe(0);
    expect(readyWhileHung).toBe(503);
    expect(s.distinct).toBe(result.ids.length);
    expect(s.rows).toBe(result.ids.length);
  }, 300_000);

  it('Redis restart under load (response cache): no client error, every trace lands once', async () => {
    const tag = `redis-${randomUUID()}`;
    const running = load('ok-model', tag, LOAD_MS);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS / 4));
    const down = Date.now();
    await redis.restart(REDIS_DOWN_MS);
    const back = Date.now();
    const result = await running;
    const s = await settle(tag, result.ids.length, 60_000);
    reports.push({
      name: `Redis restart (down ${((back - down) / 1000).toFixed(1)} s, cache emptied) under load`,
      statuses: result.statuses, produced: result.ids.length, landed: s.distinct, rows: s.rows, settleMs: s.ms,
      note: `every request asks the response cache; max client latency ${result.maxMs} ms`,
    });
    expect(clientErrors(result)).toBe(0);
    expect(s.distinct).toBe(result.ids.length);
    expect(s.rows).toBe(result.ids.length);
  }, 300_000);

  it('a hanging and a failing target beside a healthy one: bounded errors for theirs, none for the healthy model', async () => {
    const tags = { ok: `ok-${randomUUID()}`, hang: `hang-${randomUUID()}`, fail: `fail-${randomUUID()}` };
    const [ok, hung, failed] = await Promise.all([
      load('ok-model', tags.ok, LOAD_MS, 2),
      load('hang-model', tags.hang, LOAD_MS, 2),
      load('fail-model', tags.fail, LOAD_MS, 2),
    ]);
    const settled = await Promise.all([settle(tags.ok, ok.ids.length, 60_000), settle(tags.hang, hung.ids.length, 60_000), settle(tags.fail, failed.ids.length, 60_000)]);
    const rows: Array<[string, LoadResult, (typeof settled)[number], string]> = [
      ['healthy model beside them', ok, settled[0], `max latency ${ok.maxMs} ms`],
      [`hanging target (timeout ${HANG_TIMEOUT_MS} ms)`, hung, settled[1], `max latency ${hung.maxMs} ms`],
      ['failing target (500)', failed, settled[2], `max latency ${failed.maxMs} ms`],
    ];
    for (const [name, r, s, note] of rows) reports.push({ name, statuses: r.statuses, produced: r.ids.length, landed: s.distinct, rows: s.rows, settleMs: s.ms, note });
    expect(clientErrors(ok)).toBe(0);
    expect(count(hung, '504')).toBe(hung.ids.length);
    expect(hung.maxMs).toBeLessThan(HANG_TIMEOUT_MS + 2_000);
    expect(count(failed, '502')).toBe(failed.ids.length);
    for (const [, r, s] of rows) {
      expect(s.distinct).toBe(r.ids.length);
      expect(s.rows).toBe(r.ids.length);
    }
  }, 300_000);
});
