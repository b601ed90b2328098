import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClickHouse, type ClickHouseClient } from '@gatehouse/clickhouse/client';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { GatehouseConfigSchema, parseEnv } from '@gatehouse/config';
import { AuditTopic, DlqTopic, DlqRecordSchema, TracesTopic, type Trace, VerdictsTopic, type Verdict } from '@gatehouse/contracts';
import { createKafkaBus, type KafkaBus } from '@gatehouse/bus';
import { RuntimeModule, type Runtime } from '@gatehouse/runtime';
import { ANALYTICS_INGEST_OPTIONS, AnalyticsModule, type AnalyticsIngestOverrides } from '../../apps/analytics/src/analytics.module';
import { startGroupsAtEnd } from '../support/kafka-groups';

const ADMIN = `admin-${randomUUID()}`;
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const brokers = () => (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);

function trace(team: string, i: number, extra: Partial<Trace> = {}): Trace {
  const ts = Date.now() - 60_000 + i;
  return {
    request_id: `${team}-req-${i}`, trace_id: randomUUID().replace(/-/g, ''), span_id: 'a'.repeat(16), parent_span_id: null,
    ts_start: ts, ts_end: ts + 120, latency_ms: 120 + i, ttft_ms: 40, status: i % 10 === 0 ? 502 : 200,
    error_type: i % 10 === 0 ? 'upstream_error' : null, client_format: 'openai', endpoint: 'chat',
    model_requested: i % 2 ? 'gpt-4o-mini' : 'claude-3-5-haiku', provider: i % 2 ? 'openai' : 'anthropic',
    model_upstream: 'm', attempts: 1, attempt_details: [], key_id: `${team}-key`, key_name: 'k', team,
    metadata: { feature: `f${i % 3}` }, input_tokens: 10 + i, output_tokens: 5, cached_tokens: 0, cache_write_tokens: 0,
    reasoning_tokens: 0, cost_usd: 0.001, cost: { input_usd: 0.0006, output_usd: 0.0004, cached_input_usd: 0, cache_write_usd: 0, reasoning_usd: 0 },
    pricing_unknown: false, cache_hit: false, cache_status: 'BYPASS', cost_saved_usd: 0, stream: false,
    guardrails: { action: 'none', policies: [], flagged: 0, redacted: 0, denied: 0 },
    request_body: null, response_body: null, ...extra,
  };
}

function verdict(team: string, i: number): Verdict {
  return {
    verdict_id: `${team}-v-${i}`, request_id: `${team}-req-${i}`, ts: Date.now() - 60_000 + i, policy_id: 'pii', policy_version: 1,
    check_index: 0, check_type: 'pii', stage: 'input', action: i % 2 ? 'redact' : 'flag', outcome: 'fail', mode: 'enforce',
    applied: true, score: null, details: ['email'], async: false, key_id: `${team}-key`, team, model: 'gpt-4o-mini',
  };
}

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown;
  while (Date.now() < until) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch (e) {
      lastErr = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out; last value ${JSON.stringify(last)} ${lastErr ? String(lastErr) : ''}`);
}

describe('analytics ingest (Kafka → chDB)', () => {
  const database = 'gh_analytics_it';
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-analytics-it-'));
  let raw: ClickHouseClient;
  let client: ClickHouseClient;
  let down = false;
  let bus: KafkaBus;
  let app: NestFastifyApplication;
  let url: string;

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const usage = async (team: string) => (await get(`/analytics/usage?team=${team}`)).body.data[0];
  const scalar = async (sql: string, team: string) =>
    Number((await (await raw.query({ query: sql, query_params: { team }, format: 'JSONEachRow' })).json<{ n: string }>())[0].n);

  beforeAll(async () => {
    const env = parseEnv({ CLICKHOUSE_DATABASE: database, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_TOKEN: ADMIN, KAFKA_BROKERS: brokers().join(',') });
    raw = await createClickHouse(env, logger);
    // The store as the app sees it: fails every call while `down` (a ClickHouse outage).
    client = new Proxy(raw, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if ((prop === 'insert' || prop === 'query') && down) return async () => { throw new Error('connect ECONNREFUSED (simulated outage)'); };
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    bus = await createKafkaBus({ brokers: brokers(), clientId: 'analytics-it', logger });
    await bus.ensureTopics();
    const config = GatehouseConfigSchema.parse({ analytics: { ttl_days: 30, batch_max_rows: 200, batch_max_ms: 200 } });
    const runtime: Runtime = { role: 'analytics', env, config, configSource: 'test', bus, clickhouse: client, logger, adminToken: ADMIN };
    const group = `analytics-it-${randomUUID()}`;
    const overrides: AnalyticsIngestOverrides = { group, retryForMs: 1500, lagIntervalMs: 500 };
    // A new group reads from the beginning: start it at the end instead, past the earlier test files' traces.
    await startGroupsAtEnd(brokers(), group, [TracesTopic, VerdictsTopic, AuditTopic]);
    const overridesModule: DynamicModule = {
      module: class IngestOverridesModule {}, global: true,
      providers: [{ provide: ANALYTICS_INGEST_OPTIONS, useValue: overrides }], exports: [ANALYTICS_INGEST_OPTIONS],
    };
    const root: DynamicModule = { module: class AnalyticsTestApp {}, imports: [RuntimeModule.forRoot(runtime), overridesModule, AnalyticsModule] };
    app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await bus?.close();
    await raw?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts a replayed trace or verdict once, in usage, guardrails and the hourly rollups', async () => {
    const team = `replay-${randomUUID().slice(0, 8)}`;
    const traces = Array.from({ length: 60 }, (_, i) => trace(team, i));
    const verdicts = Array.from({ length: 8 }, (_, i) => verdict(team, i));
    for (const t of traces) bus.publish(TracesTopic, t.request_id, t);
    for (const v of verdicts) bus.publish(VerdictsTopic, v.request_id, v);
    await bus.flush();
    await waitFor(() => usage(team), (u) => u?.requests === 60);

    for (const t of traces) bus.publish(TracesTopic, t.request_id, t);
    for (const v of verdicts) bus.publish(VerdictsTopic, v.request_id, v);
    const marker = trace(team, 1000);
    bus.publish(TracesTopic, marker.request_id, marker);
    await bus.flush();
    await waitFor(() => get(`/analytics/traces/${marker.request_id}`), (r) => r.status === 200);
    await waitFor(() => get(`/analytics/guardrails?team=${team}`), (r) => r.body.data.length === 2);

    const expectedInput = [...traces, marker].reduce((s, t) => s + t.input_tokens, 0);
    const u = await usage(team);
    expect(u).toMatchObject({ requests: 61, input_tokens: expectedInput, output_tokens: 61 * 5, errors: 7 });
    expect(u.cost_usd).toBeCloseTo(0.061, 9);
    expect(await scalar(`SELECT sum(requests) AS n FROM ${database}.usage_hourly WHERE team = {team:String}`, team)).toBe(61);
    expect(await scalar(`SELECT sum(input_tokens) AS n FROM ${database}.usage_hourly WHERE team = {team:String}`, team)).toBe(expectedInput);
    expect(await scalar(`SELECT count() AS n FROM ${database}.traces WHERE team = {team:String}`, team)).toBe(61);

    const g = (await get(`/analytics/guardrails?team=${team}`)).body.data;
    expect(g.reduce((s: number, r: { verdicts: number }) => s + r.verdicts, 0)).toBe(8);
    expect(await scalar(`SELECT sum(verdicts) AS n FROM ${database}.verdicts_hourly WHERE team = {team:String}`, team)).toBe(8);

    const byModel = (await get(`/analytics/usage?team=${team}&group_by=model`)).body.data;
    expect(Object.fromEntries(byModel.map((r: { model: string; requests: number }) => [r.model, r.requests]))).toEqual({ 'gpt-4o-mini': 30, 'claude-3-5-haiku': 31 });
    const detail = (await get(`/analytics/traces/${team}-req-3`)).body;
    expect(detail.verdicts).toHaveLength(1);
    expect(detail).toMatchObject({ request_id: `${team}-req-3`, team, cost: { input_usd: 0.0006 }, guardrails: { action: 'none' } });
  });

  it('sends a malformed message on the traces topic to the DLQ and inserts the next good one', async () => {
    const team = `dlq-${randomUUID().slice(0, 8)}`;
    const poisonKey = `poison-${randomUUID()}`;
    const kafka = new Kafka({ brokers: brokers(), clientId: 'analytics-it-raw', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TracesTopic.name, messages: [{ key: poisonKey, value: '{"request_id": 42, "not": "a trace"}' }] });
    await producer.disconnect();
    const good = trace(team, 1);
    bus.publish(TracesTopic, good.request_id, good);
    await bus.flush();
    await waitFor(() => usage(team), (u) => u?.requests === 1);

    const consumer = kafka.consumer({ groupId: `analytics-it-dlq-${randomUUID()}` });
    const seen: unknown[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: DlqTopic.name, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { if (message.key?.toString() === poisonKey) seen.push(JSON.parse(message.value!.toString())); } });
    try {
      await waitFor(async () => seen.length, (n) => n > 0, 30_000);
    } finally {
      await consumer.disconnect();
    }
    const record = DlqRecordSchema.parse(seen[0]);
    expect(record).toMatchObject({ source_topic: TracesTopic.name, key: poisonKey, value: '{"request_id": 42, "not": "a trace"}' });
    expect(record.reason.length).toBeGreaterThan(0);
  });

  it('keeps every trace through a ClickHouse outage, reports not ready meanwhile, and stores none twice', async () => {
    const team = `outage-${randomUUID().slice(0, 8)}`;
    down = true;
    try {
      const traces = Array.from({ length: 300 }, (_, i) => trace(team, i));
      for (const t of traces.slice(0, 150)) bus.publish(TracesTopic, t.request_id, t);
      await bus.flush();
      const notReady = await waitFor(() => fetch(`${url}/readyz`).then(async (r) => ({ status: r.status, body: (await r.json()) as any })), (r) => r.status === 503, 30_000);
      expect(notReady.body.checks.clickhouse.ok).toBe(false);
      expect(notReady.body.checks.clickhouse.detail.traces.last_error).toContain('ECONNREFUSED');
      // Batches bounce back to the bus (retry window 1.5 s) and come again while the store is down.
      await new Promise((r) => setTimeout(r, 4000));
      for (const t of traces.slice(150)) bus.publish(TracesTopic, t.request_id, t);
      await bus.flush();
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      down = false;
    }
    await waitFor(() => usage(team), (u) => u?.requests === 300);
    await waitFor(() => fetch(`${url}/readyz`).then((r) => r.status), (s) => s === 200, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await usage(team)).requests).toBe(300);
    expect(await scalar(`SELECT count() AS n FROM ${database}.traces WHERE team = {team:String}`, team)).toBe(300);
    expect(await scalar(`SELECT sum(requests) AS n FROM ${database}.usage_hourly WHERE team = {team:String}`, team)).toBe(300);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_analytics_insert_failures_total\{table="traces"\} [1-9]/);
    expect(metrics).toMatch(/gatehouse_analytics_rows_inserted_total\{table="traces"\} \d+/);
  });
});
