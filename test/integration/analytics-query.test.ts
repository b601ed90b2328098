import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { GatehouseConfigSchema, parseEnv } from '@gatehouse/config';
import { AuditTopic, type AuditEvent, KeysTopic, KeyRecordSchema, type KeyRecord, TracesTopic, type Trace } from '@gatehouse/contracts';
import { createKafkaBus, type KafkaBus } from '@gatehouse/bus';
import { createClickHouse, type ClickHouseClient } from '@gatehouse/clickhouse/client';
import { RuntimeModule, type Runtime } from '@gatehouse/runtime';
import { ANALYTICS_INGEST_OPTIONS, AnalyticsModule } from '../../apps/analytics/src/analytics.module';

const ADMIN = `admin-${randomUUID()}`;
const logger = pino({ level: 'silent' });
const brokers = () => (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const run = randomUUID().slice(0, 8);
const TEAM_A = `team-a-${run}`;
const TEAM_B = `team-b-${run}`;
const TEAM_C = `team-c-${run}`;
const DAY_MS = 86_400_000;
const OLD = 40;

function trace(team: string, i: number, metadata: Record<string, string> = {}): Trace {
  const ts = Date.now() - 3_600_000 + i * 1000;
  return {
    request_id: `${team}-r${String(i).padStart(3, '0')}`, trace_id: 'f'.repeat(32), span_id: 'a'.repeat(16), parent_span_id: null,
    ts_start: ts, ts_end: ts + 200, latency_ms: 100 + i, ttft_ms: i % 2 ? 30 + i : null, status: 200, error_type: null,
    client_format: 'openai', endpoint: 'chat', model_requested: 'gpt-4o-mini', provider: 'openai', model_upstream: 'gpt-4o-mini',
    attempts: 1, attempt_details: [], key_id: `${team}-key`, key_name: 'k', team, metadata, input_tokens: 100, output_tokens: 10,
    cached_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0.01, cost: null, pricing_unknown: false,
    cache_hit: false, cache_status: 'BYPASS', cost_saved_usd: 0, stream: false, guardrails: { action: 'none', policies: [], flagged: 0, redacted: 0, denied: 0 },
    request_body: team === TEAM_A ? '{"messages":[]}' : null, response_body: null,
  };
}

/** Traces of TEAM_C spread over the last ~12 days (one every 7 h 13 min), a quarter of them errors. */
function oldTrace(i: number, now: number): Trace {
  const ts = now - 12 * DAY_MS + i * (7 * 3_600_000 + 13 * 60_000);
  return { ...trace(TEAM_C, i), ts_start: ts, ts_end: ts + 200, status: i % 4 === 0 ? 500 : 200, input_tokens: 100 + i, cost_usd: 0.25 };
}

function key(id: string, team: string, secret: string, extra: Partial<KeyRecord> = {}): KeyRecord {
  return KeyRecordSchema.parse({
    id, name: id, key_sha256: createHash('sha256').update(secret).digest('hex'), team, analytics: true, created_at: Date.now(), ...extra,
  });
}

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < until) {
    last = await probe().catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out; last value ${JSON.stringify(last)}`);
}

describe('analytics query API (tenancy, validation, paging)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-analytics-q-'));
  const secrets = { a: `gh-a-${randomUUID()}`, b: `gh-b-${randomUUID()}`, noAnalytics: `gh-n-${randomUUID()}`, revoked: `gh-r-${randomUUID()}`, expired: `gh-e-${randomUUID()}` };
  let client: ClickHouseClient;
  let bus: KafkaBus;
  let app: NestFastifyApplication;
  let url: string;

  const get = async (path: string, token: string = ADMIN) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    const env = parseEnv({ CLICKHOUSE_DATABASE: 'gh_analytics_q', GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_TOKEN: ADMIN });
    client = await createClickHouse(env, logger);
    bus = await createKafkaBus({ brokers: brokers(), clientId: 'analytics-q-it', logger });
    await bus.ensureTopics();
    const config = GatehouseConfigSchema.parse({ analytics: { batch_max_rows: 500, batch_max_ms: 100 } });
    const runtime: Runtime = { role: 'analytics', env, config, configSource: 'test', bus, clickhouse: client, logger, adminToken: ADMIN };
    const overrides: DynamicModule = {
      module: class QueryOverridesModule {}, global: true,
      providers: [{ provide: ANALYTICS_INGEST_OPTIONS, useValue: { group: `analytics-q-${randomUUID()}` } }], exports: [ANALYTICS_INGEST_OPTIONS],
    };
    const root: DynamicModule = { module: class AnalyticsQueryTestApp {}, imports: [RuntimeModule.forRoot(runtime), overrides, AnalyticsModule] };
    app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    bus.publish(KeysTopic, `ka-${run}`, key(`ka-${run}`, TEAM_A, secrets.a));
    bus.publish(KeysTopic, `kb-${run}`, key(`kb-${run}`, TEAM_B, secrets.b));
    bus.publish(KeysTopic, `kn-${run}`, key(`kn-${run}`, TEAM_A, secrets.noAnalytics, { analytics: false }));
    bus.publish(KeysTopic, `kr-${run}`, key(`kr-${run}`, TEAM_A, secrets.revoked, { revoked_at: Date.now() - 1000 }));
    bus.publish(KeysTopic, `ke-${run}`, key(`ke-${run}`, TEAM_A, secrets.expired, { expires_at: Date.now() - 1000 }));
    for (let i = 0; i < 30; i++) bus.publish(TracesTopic, `${TEAM_A}-r${i}`, trace(TEAM_A, i, { user: i < 5 ? 'alice' : 'bob' }));
    for (let i = 0; i < 12; i++) bus.publish(TracesTopic, `${TEAM_B}-r${i}`, trace(TEAM_B, i, { user: 'alice' }));
    const now = Date.now();
    for (let i = 0; i < OLD; i++) bus.publish(TracesTopic, `${TEAM_C}-r${i}`, oldTrace(i, now));
    await bus.flush();
    for (let i = 0; i < OLD; i += 3) bus.publish(TracesTopic, `${TEAM_C}-r${i}`, oldTrace(i, now));
    await bus.flush();
    await waitFor(() => get(`/analytics/usage?group_by=team&team=${TEAM_A}`), (r) => r.body.data?.[0]?.requests === 30);
    await waitFor(() => get(`/analytics/usage?group_by=team&team=${TEAM_B}`), (r) => r.body.data?.[0]?.requests === 12);
    await waitFor(() => get('/analytics/usage', secrets.b), (r) => r.status === 200);
  });

  afterAll(async () => {
    await app?.close();
    await bus?.close();
    await client?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a team key only its own team, and the admin every team', async () => {
    const a = await get('/analytics/usage?group_by=team', secrets.a);
    expect(a.status).toBe(200);
    expect(a.body.data).toEqual([expect.objectContaining({ team: TEAM_A, requests: 30, input_tokens: 3000, output_tokens: 300 })]);
    const aAsksB = await get(`/analytics/usage?team=${TEAM_B}`, secrets.a);
    expect(aAsksB.status).toBe(403);
    expect(aAsksB.body.error.message).toBe(`requires analytics:read on team "${TEAM_B}"`);
    const admin = await get(`/analytics/usage?group_by=team`);
    const teams = admin.body.data.map((r: { team: string }) => r.team);
    expect(teams).toEqual(expect.arrayContaining([TEAM_A, TEAM_B]));
    const list = await get('/analytics/traces?limit=1000', secrets.b);
    expect(list.body.data).toHaveLength(12);
    expect(list.body.data.every((t: { team: string }) => t.team === TEAM_B)).toBe(true);
  });

  it('answers usage over days from the rollups exactly as raw traces do (replayed traces counted once)', async () => {
    const from = String(Date.now() - 14 * DAY_MS);
    const usage = async (q: string) => (await waitFor(() => get(`/analytics/usage?team=${TEAM_C}&from=${from}${q}`), (r) => r.status === 200)).body.data;
    const total = await waitFor(() => get(`/analytics/usage?team=${TEAM_C}&from=${from}`), (r) => r.body.data?.[0]?.requests === OLD);
    const expectedInput = Array.from({ length: OLD }, (_, i) => 100 + i).reduce((a, b) => a + b, 0);
    expect(total.body.data[0]).toEqual({ requests: OLD, input_tokens: expectedInput, output_tokens: OLD * 10, cost_usd: OLD * 0.25, errors: OLD / 4, cost_saved_usd: 0, cache_hits: 0 });
    const byDay = await usage('&group_by=day');
    const raw = [...(await usage('&group_by=day&status=ok')), ...(await usage('&group_by=day&status=error'))];
    const rawByDay = new Map<string, { requests: number; errors: number; input_tokens: number }>();
    for (const r of raw) {
      const d = rawByDay.get(r.day) ?? { requests: 0, errors: 0, input_tokens: 0 };
      rawByDay.set(r.day, { requests: d.requests + r.requests, errors: d.errors + r.errors, input_tokens: d.input_tokens + r.input_tokens });
    }
    expect(byDay.length).toBeGreaterThanOrEqual(10);
    expect(byDay.map((r: { day: string; requests: number; errors: number; input_tokens: number }) => [r.day, { requests: r.requests, errors: r.errors, input_tokens: r.input_tokens }]))
      .toEqual([...rawByDay.entries()].sort(([a], [b]) => a.localeCompare(b)));
    const byModel = await usage('&group_by=model');
    expect(byModel).toEqual([expect.objectContaining({ model: 'gpt-4o-mini', requests: OLD, errors: OLD / 4 })]);
  });

  it("answers 403 naming the team when a team key asks for another team's trace, and returns its own with the stored body", async () => {
    const other = await get(`/analytics/traces/${TEAM_B}-r001`, secrets.a);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(`requires analytics:read on team "${TEAM_B}"`);
    expect(other.body.error.type).toBe('permission_error');
    const own = await get(`/analytics/traces/${TEAM_A}-r001`, secrets.a);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ request_id: `${TEAM_A}-r001`, team: TEAM_A, request_body: '{"messages":[]}', metadata: { user: 'alice' }, verdicts: [] });
    expect((await get(`/analytics/traces/${TEAM_B}-r001`)).status).toBe(200);
  });

  it('rejects missing, unknown, revoked and expired keys with 401 and a key without analytics with 403', async () => {
    expect((await fetch(`${url}/analytics/usage`)).status).toBe(401);
    expect((await get('/analytics/usage', 'gh-unknown-key')).status).toBe(401);
    expect((await get('/analytics/usage', secrets.revoked)).status).toBe(401);
    expect((await get('/analytics/usage', secrets.expired)).status).toBe(401);
    const forbidden = await get('/analytics/usage', secrets.noAnalytics);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.type).toBe('permission_error');
  });

  it('filters by metadata and pages traces newest first with a cursor', async () => {
    const alice = await get(`/analytics/usage?metadata.user=alice&group_by=team`);
    const byTeam = Object.fromEntries(alice.body.data.map((r: { team: string; requests: number }) => [r.team, r.requests]));
    expect(byTeam[TEAM_A]).toBe(5);
    expect(byTeam[TEAM_B]).toBe(12);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { request_id: string }[]; next_cursor: string | null } } =
        await get(`/analytics/traces?team=${TEAM_A}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.data.map((t) => t.request_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `${TEAM_A}-r${String(29 - i).padStart(3, '0')}`));
  });

  it('reports latency percentiles per group', async () => {
    const r = await get(`/analytics/latency?team=${TEAM_A}&group_by=model`);
    expect(r.body.data).toHaveLength(1);
    const row = r.body.data[0];
    expect(row).toMatchObject({ model: 'gpt-4o-mini', requests: 30, ttft_count: 15 });
    expect(row.latency_p50_ms).toBeGreaterThanOrEqual(110);
    expect(row.latency_p50_ms).toBeLessThanOrEqual(120);
    expect(row.latency_p99_ms).toBeGreaterThan(row.latency_p50_ms);
    expect(row.ttft_p50_ms).toBeGreaterThan(30);
  });

  it.each([
    ['/analytics/usage?from=yesterday', 'from'],
    ['/analytics/usage?group_by=model%3B%20DROP%20TABLE%20traces', 'group_by'],
    ['/analytics/traces?limit=0', 'limit'],
    ['/analytics/traces?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['/analytics/latency?to=2020-01-01&from=2021-01-01', 'from'],
  ])('answers 400 invalid_request_error for %s', async (path, param) => {
    const r = await get(path);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(r.body.error.message.startsWith(`${param}: `)).toBe(true);
  });

  it.each(["' OR 1=1 --", `${TEAM_B}' OR team != '`, "x'); DROP TABLE gh_analytics_q.traces; --"])(
    'finds nothing (and drops nothing) for the injection attempt %s in any filter',
    async (evil) => {
      const q = encodeURIComponent(evil);
      for (const f of ['model', 'provider', 'key_id', 'metadata.user']) {
        const r = await get(`/analytics/usage?${f}=${q}`, secrets.a);
        expect(r.status).toBe(200);
        expect(r.body.data[0].requests).toBe(0);
      }
      // Another team (whatever its name) is refused to a team key before any query; the admin finds nothing.
      expect((await get(`/analytics/usage?team=${q}`, secrets.a)).status).toBe(403);
      const admin = await get(`/analytics/usage?team=${q}`);
      expect(admin.status).toBe(200);
      expect(admin.body.data[0].requests).toBe(0);
      expect((await get(`/analytics/traces/${q}`, secrets.a)).status).toBe(404);
      expect((await get(`/analytics/usage?team=${TEAM_A}`)).body.data[0].requests).toBe(30);
    },
  );

  it('lands an audit event once however often the bus delivers it, and shows it to admins only', async () => {
    const event: AuditEvent = {
      event_id: `ev-${randomUUID()}`, ts: Date.now(), actor: `token:lead-${run}`, role: 'team-admin', action: 'key.update',
      target_type: 'key', target_id: `ka-${run}`, teams: [TEAM_A], before: { rpm: null }, after: { rpm: 5 },
      request_id: `req-${run}`, source_ip: '10.0.0.7', status: 200,
    };
    for (let i = 0; i < 3; i++) bus.publish(AuditTopic, event.event_id, event);
    await bus.flush();
    const q = `/analytics/audit?from=0&actor=token:lead-${run}`;
    const rows = await waitFor(() => get(q), (r) => r.body.data?.length > 0);
    await new Promise((r) => setTimeout(r, 1500));
    const again = await get(q);
    expect(again.body.data).toEqual([{ ...event, before: { rpm: null }, after: { rpm: 5 } }]);
    expect(rows.body.data[0].event_id).toBe(event.event_id);
    const asKey = await get('/analytics/audit?from=0', secrets.a);
    expect(asKey.status).toBe(403);
    expect(asKey.body.error.message).toBe('requires audit:read (role viewer does not have it)');
  });

  it('serves the dashboard page and its assets without any external script', async () => {
    const page = await fetch(`${url}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<title>Gatehouse analytics</title>');
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['/dashboard/charts.js', '/dashboard/app.js']);
    for (const src of scripts) {
      const js = await fetch(`${url}${src}`);
      expect(js.status).toBe(200);
      expect((await js.text()).replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
    }
    expect((await fetch(`${url}/dashboard/..%2F..%2Fanalytics.module.js`)).status).toBe(404);
  });
});
