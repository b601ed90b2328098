import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { GatehouseConfigSchema, parseEnv } from '@gatehouse/config';
import { TracesTopic, type Trace } from '@gatehouse/contracts';
import { createKafkaBus, type KafkaBus } from '@gatehouse/bus';
import { createClickHouse, type ClickHouseClient } from '@gatehouse/clickhouse/client';
import { RuntimeModule, type Runtime } from '@gatehouse/runtime';
import { ANALYTICS_INGEST_OPTIONS, AnalyticsModule } from '../../apps/analytics/src/analytics.module';
import { startApp, type AppProcess } from '../support/app-process';
import { writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';

/**
 * Backtests over stored traffic: an analytics app (chDB, ingesting from the real Kafka broker) holds
 * the traces; a separate guard process (real Kafka and Redis: BullMQ jobs, job records) reads them
 * through GATEHOUSE_ANALYTICS_URL.
 */

const ADMIN = 'test-admin-token-backtest-0123456789';
const RUN = randomUUID().slice(0, 8);
const SMALL = `bt-small-${RUN}`;
const BIG = `bt-big-${RUN}`;
const POLICY = `bt-${RUN}`;
const T0 = Date.now() - 3_600_000;
const BIG_ROWS = 2400;
const logger = pino({ level: 'silent' });

/** Request i of a team: models alternate; every 10th keeps no bodies; "secret-<i>" in every 7th prompt, "token-<i>" in every 5th. */
function trace(team: string, i: number): Trace {
  const ts = T0 + i * 100;
  const words = [i % 7 === 0 ? `secret-${i}` : 'hello', i % 5 === 0 ? `token-${i}` : 'there'].join(' ');
  const logged = i % 10 !== 3;
  return {
    request_id: `${team}-${String(i).padStart(5, '0')}`, trace_id: 'f'.repeat(32), span_id: 'a'.repeat(16), parent_span_id: null,
    ts_start: ts, ts_end: ts + 50, latency_ms: 50, ttft_ms: null, status: 200, error_type: null, client_format: 'openai', endpoint: 'chat',
    model_requested: i % 2 ? 'model-b' : 'model-a', provider: 'openai', model_upstream: 'gpt-4o-mini', attempts: 1, attempt_details: [],
    key_id: `${team}-key`, key_name: `${team}-key`, team, metadata: {}, input_tokens: 10, output_tokens: 5, cached_tokens: 0, cache_write_tokens: 0,
    reasoning_tokens: 0, cost_usd: 0.001, cost: null, pricing_unknown: false, cache_hit: false, cache_status: 'BYPASS', cost_saved_usd: 0, stream: false,
    guardrails: { action: 'none', policies: [], flagged: 0, redacted: 0, denied: 0 },
    request_body: logged ? JSON.stringify({ model: 'm', messages: [{ role: 'user', content: words }] }) : null,
    response_body: logged ? JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }] }) : null,
  };
}

const range = (n: number) => ({ from: new Date(T0).toISOString(), to: new Date(T0 + n * 100).toISOString() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface JobView { id: string; status: string; progress: { done: number; total: number } | null; runs: number; result: any; cancel_requested: boolean }

describe('policy backtest over stored traffic', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-backtest-'));
  let client: ClickHouseClient;
  let bus: KafkaBus;
  let analytics: NestFastifyApplication;
  let analyticsUrl: string;
  let config: WrittenConfig;
  let guard: AppProcess;

  const startGuard = () => startApp('guard', { env: { GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN, GATEHOUSE_ANALYTICS_URL: analyticsUrl } });
  const api = async (path: string, method = 'GET', body?: unknown) => {
    const r = await fetch(`${guard.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const job = async (id: string): Promise<JobView> => (await api(`/admin/jobs/${id}`)).body as JobView;
  async function until(id: string, ok: (j: JobView) => boolean, timeoutMs = 30_000): Promise<JobView> {
    const end = Date.now() + timeoutMs;
    let last = await job(id);
    while (!ok(last)) {
      if (Date.now() > end) throw new Error(`job ${id} never got there: ${JSON.stringify(last).slice(0, 500)}\n${guard.logs().slice(-2000)}`);
      await sleep(100);
      last = await job(id);
    }
    return last;
  }

  beforeAll(async () => {
    const env = parseEnv({ CLICKHOUSE_DATABASE: 'gh_backtest', GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_TOKEN: ADMIN });
    client = await createClickHouse(env, logger);
    bus = await createKafkaBus({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'backtest-it', logger });
    await bus.ensureTopics();
    const runtime: Runtime = { role: 'analytics', env, config: GatehouseConfigSchema.parse({ analytics: { batch_max_rows: 2000, batch_max_ms: 100 } }), configSource: 'test', bus, clickhouse: client, logger, adminToken: ADMIN };
    const overrides: DynamicModule = {
      module: class BacktestIngestOverrides {}, global: true,
      providers: [{ provide: ANALYTICS_INGEST_OPTIONS, useValue: { group: `backtest-${RUN}` } }], exports: [ANALYTICS_INGEST_OPTIONS],
    };
    analytics = await NestFactory.create<NestFastifyApplication>({ module: class BacktestAnalytics {}, imports: [RuntimeModule.forRoot(runtime), overrides, AnalyticsModule] }, new FastifyAdapter(), { logger: false });
    await analytics.listen(0, '127.0.0.1');
    analyticsUrl = (await analytics.getUrl()).replace('[::1]', '127.0.0.1');
    for (let i = 0; i < 1000; i++) bus.publish(TracesTopic, `${SMALL}-${i}`, trace(SMALL, i));
    for (let i = 0; i < BIG_ROWS; i++) bus.publish(TracesTopic, `${BIG}-${i}`, trace(BIG, i));
    await bus.flush();

    config = writeGatewayConfig({ mockUrl: 'http://127.0.0.1:9', keys: [], sections: { backtest: { job_threshold_rows: 1500, page_rows: 100, rows_per_second: 400, sample_ids: 5 } } });
    guard = await startGuard();
    const put = await api(`/admin/policies/${POLICY}`, 'PUT', { mode: 'monitor', checks: [{ type: 'regex', pattern: 'secret-\\d+', action: 'deny' }] });
    expect(put.status).toBe(200);

    const stored = async (team: string) => {
      const r = await fetch(`${analyticsUrl}/analytics/usage?team=${team}&from=${T0 - 1000}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      return ((await r.json()) as { data: Array<{ requests: number }> }).data[0]?.requests ?? 0;
    };
    const end = Date.now() + 60_000;
    while ((await stored(SMALL)) < 1000 || (await stored(BIG)) < BIG_ROWS) {
      if (Date.now() > end) throw new Error('seeded traces not stored in time');
      await sleep(250);
    }
  });

  afterAll(async () => {
    await guard?.stop();
    await analytics?.close();
    await bus?.close();
    await client?.close();
    config?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a draft over 1,000 stored requests: exact counts by action, check, team and model, skipped rows, sample ids and the change against the active version', async () => {
    const r = await api(`/admin/policies/${POLICY}/backtest`, 'POST', {
      ...range(1000), teams: [SMALL],
      policy: { checks: [{ type: 'regex', pattern: 'secret-\\d+', action: 'deny' }, { type: 'keywords', words: ['token'], action: 'flag' }] },
    });
    expect(r.status).toBe(200);
    const logged = Array.from({ length: 1000 }, (_, i) => i).filter((i) => i % 10 !== 3);
    const denied = logged.filter((i) => i % 7 === 0);
    const flaggedOnly = logged.filter((i) => i % 7 !== 0 && i % 5 === 0);
    const flagHits = logged.filter((i) => i % 5 === 0);
    const id = (i: number) => `${SMALL}-${String(i).padStart(5, '0')}`;
    expect(r.body.policy).toEqual({ id: POLICY, version: null, draft: true });
    expect(r.body.rows).toEqual({ scanned: 1000, evaluated: 900, skipped_no_bodies: 100, out_of_scope: 0 });
    expect(r.body.by_action).toEqual({ none: 900 - denied.length - flaggedOnly.length, flag: flaggedOnly.length, redact: 0, deny: denied.length });
    expect(r.body.by_check).toEqual([
      { index: 0, type: 'regex', name: null, deny: denied.length, redact: 0, flag: 0, error: 0 },
      { index: 1, type: 'keywords', name: null, deny: 0, redact: 0, flag: flagHits.length, error: 0 },
    ]);
    expect(Object.keys(r.body.by_team)).toEqual([SMALL]);
    const deniedB = denied.filter((i) => i % 2 === 1).length;
    expect(r.body.by_model['model-b'].deny).toBe(deniedB);
    expect(r.body.by_model['model-a'].deny).toBe(denied.length - deniedB);
    expect(r.body.samples.deny).toEqual(denied.slice(0, 5).map(id));
    expect(r.body.samples.flag).toEqual(flaggedOnly.slice(0, 5).map(id));
    // The active version (monitor mode, judged as if enforced) denies the same rows; the draft only adds flags.
    expect(r.body.vs_active).toEqual({ active_version: 1, changed: flaggedOnly.length, transitions: { 'none->flag': { count: flaggedOnly.length, samples: flaggedOnly.slice(0, 5).map(id) } } });

    const bad = await api(`/admin/policies/${POLICY}/backtest`, 'POST', { ...range(10), policy: { checks: [{ type: 'regex', pattern: '(' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toMatch(/^policy/);
    const backwards = await api(`/admin/policies/${POLICY}/backtest`, 'POST', { from: range(1).to, to: range(1).from });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.param).toBe('to');
  });

  it('a large range runs as a job with progress, and DELETE cancels it', async () => {
    const r = await api(`/admin/policies/${POLICY}/backtest`, 'POST', { ...range(BIG_ROWS), teams: [BIG] });
    expect(r.status).toBe(202);
    expect(r.body.job).toMatchObject({ status: 'queued', progress: { done: 0, total: BIG_ROWS } });
    const id = r.body.job.id as string;
    const running = await until(id, (j) => j.status === 'running' && (j.progress?.done ?? 0) > 0);
    expect(running.progress!.total).toBe(BIG_ROWS);
    const cancel = await api(`/admin/jobs/${id}`, 'DELETE');
    expect(cancel.status).toBe(200);
    expect(cancel.body.cancel_requested).toBe(true);
    const done = await until(id, (j) => j.status === 'cancelled');
    expect(done.progress!.done).toBeLessThan(BIG_ROWS);
    expect(done.result).toBeNull();
    expect((await api('/admin/jobs/bt_nope')).status).toBe(404);
  });

  it('a guard SIGKILLed mid-job: after its restart the job runs again and completes once, with exact counts', async () => {
    const r = await api(`/admin/policies/${POLICY}/backtest`, 'POST', { ...range(BIG_ROWS), teams: [BIG] });
    expect(r.status).toBe(202);
    const id = r.body.job.id as string;
    await until(id, (j) => j.status === 'running' && (j.progress?.done ?? 0) > 0);
    await guard.kill('SIGKILL');
    guard = await startGuard();
    const done = await until(id, (j) => j.status === 'completed', 40_000);
    const logged = Array.from({ length: BIG_ROWS }, (_, i) => i).filter((i) => i % 10 !== 3);
    expect(done.runs).toBe(2);
    expect(done.progress).toEqual({ done: BIG_ROWS, total: BIG_ROWS });
    expect(done.result.rows).toEqual({ scanned: BIG_ROWS, evaluated: logged.length, skipped_no_bodies: BIG_ROWS - logged.length, out_of_scope: 0 });
    expect(done.result.by_action.deny).toBe(logged.filter((i) => i % 7 === 0).length);
    expect(done.result.vs_active).toEqual({ active_version: 1, changed: 0, transitions: {} });
  });
});
