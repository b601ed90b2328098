/**
 * Analytics benchmark: ingest rate of one consumer into ClickHouse (chDB by default), and query
 * p50/p95 over synthetic traces generated inside ClickHouse (INSERT … SELECT FROM numbers()).
 *
 * Run: npm run bench:analytics (builds, then node dist/bench/analytics.js)
 *   --rows N      synthetic traces for the query phase (default 10,000,000 over 90 days, 50 teams, 30 models)
 *   --ingest N    traces pushed through the batch writer in the ingest phase (default 200,000)
 *   --runs N      runs per query (default 20)
 *   --phases L    comma list of ingest, queries, lag (default all three)
 *   --lag-rate N, --lag-seconds N   ingress load of the lag phase (default 2,000 req/s for 20 s)
 * The lag phase runs the real apps: mock upstream → dist/apps/ingress (KAFKA_BROKERS, else a broker started
 * for the run) → Kafka → dist/apps/analytics on chDB; lag of a trace = its inserted_at (set by ClickHouse when the
 * insert that carried it was processed) − its ts_end (when the ingress finished the request).
 * The lag phase also reports the analytics process's CPU per stored trace (all its threads: JS, chDB's inserts and merges);
 * BENCH_APPS_DIST=<another build's dist> runs that build's apps with this script (before/after of an ingest change).
 * CLICKHOUSE_URL (+ user/password) benchmarks a ClickHouse server instead of chDB in a temp dir.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { parseEnv } from '@gatehouse/config';
import { createClickHouse, type ClickHouseClient } from '@gatehouse/clickhouse/client';
import { runMigrations } from '@gatehouse/clickhouse';
import { BatchWriter } from '../apps/analytics/src/ingest/batch-writer';
import { TRACE_NULLABLE_COLUMNS, TRACE_ROW_COLUMNS, traceToRow, type TraceRow } from '../apps/analytics/src/rows/rows';
import { MIGRATIONS_DIR } from '../apps/analytics/src/analytics.module';
import { buildLatencyQuery, parseLatencyParams } from '../apps/analytics/src/query/latency.query';
import { buildTracesQuery, parseTracesParams } from '../apps/analytics/src/query/traces.query';
import { buildUsageQuery, parseUsageParams } from '../apps/analytics/src/query/usage.query';
import type { BuiltQuery } from '../apps/analytics/src/query/where';
import { startApp } from '../test/support/app-process';
import { BENCH_MODEL, writeBenchConfig } from './support/bench-config';
import { kafkaBrokers, spawnListening } from './support/processes';
import { cpuMs } from './support/proc-stats';
import { syntheticTrace } from './support/synthetic-trace';

const DAY = 86_400_000;
const DB = 'gh_bench';
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const log = (m: string) => process.stderr.write(`${m}\n`);

/** One consumer: hands the writer one batch at a time and waits for it to be stored, as the bus does. */
async function benchIngest(client: ClickHouseClient, total: number, chunk: number): Promise<{ rowsPerSec: number; seconds: number; cpuUs: number }> {
  const writer = new BatchWriter<TraceRow>(client, {
    database: DB, table: 'traces', idColumn: 'request_id', tsColumn: 'ts_start', columns: TRACE_ROW_COLUMNS, nullable: TRACE_NULLABLE_COLUMNS, maxRows: 10_000,
  }, logger);
  const now = Date.now();
  const offset = chunk * 10_000_000;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < total; i += chunk) {
    const rows: TraceRow[] = [];
    for (let j = i; j < Math.min(total, i + chunk); j++) rows.push(traceToRow(syntheticTrace(offset + j, now)));
    await writer.write(rows);
  }
  await writer.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rowsPerSec: total / seconds, seconds, cpuUs: (used.user + used.system) / total };
}

async function generate(client: ClickHouseClient, rows: number, end: number): Promise<number> {
  const start = end - 90 * DAY;
  const step = 1_000_000;
  const began = Date.now();
  for (let from = 0; from < rows; from += step) {
    const n = Math.min(step, rows - from);
    await client.command({
      query: `INSERT INTO ${DB}.traces (request_id, trace_id, span_id, ts_start, ts_end, latency_ms, ttft_ms, status, error_type,
          client_format, endpoint, model_requested, provider, model_upstream, attempts, key_id, key_name, team, metadata,
          input_tokens, output_tokens, cost_usd, cost_input_usd, cost_output_usd, stream, guardrail_action)
        SELECT
          concat('syn-', toString(number)) AS request_id,
          lower(hex(sipHash128(number))) AS trace_id,
          lower(hex(sipHash64(number))) AS span_id,
          fromUnixTimestamp64Milli(toInt64({start:Int64} + intDiv(number * {span:Int64}, {rows:UInt64})), 'UTC') AS ts_start,
          ts_start + toIntervalMillisecond(toUInt32(latency_ms)) AS ts_end,
          toFloat64(80 + sipHash64(number, 1) % 4000) AS latency_ms,
          if(number % 3 = 0, NULL, toFloat64(30 + sipHash64(number, 2) % 900)) AS ttft_ms,
          if(sipHash64(number, 3) % 100 < 3, 502, 200) AS status,
          if(status >= 400, 'upstream_error', '') AS error_type,
          if(number % 4 = 0, 'anthropic', 'openai') AS client_format,
          'chat' AS endpoint,
          concat('model-', toString(sipHash64(number, 4) % 30)) AS model_requested,
          ['openai', 'anthropic', 'gemini', 'bedrock', 'local'][1 + (sipHash64(number, 4) % 30) % 5] AS provider,
          model_requested AS model_upstream,
          1 AS attempts,
          concat('key-', toString(number % 500)) AS key_id,
          key_id AS key_name,
          concat('team-', toString(number % 50)) AS team,
          map('user', concat('u', toString(sipHash64(number, 5) % 100000)), 'feature', concat('f', toString(number % 20))) AS metadata,
          200 + sipHash64(number, 6) % 3000 AS input_tokens,
          20 + sipHash64(number, 7) % 800 AS output_tokens,
          input_tokens * 0.0000005 + output_tokens * 0.0000015 AS cost_usd,
          input_tokens * 0.0000005 AS cost_input_usd,
          output_tokens * 0.0000015 AS cost_output_usd,
          number % 2 = 0 AS stream,
          'none' AS guardrail_action
        FROM numbers({offset:UInt64}, {n:UInt64})`,
      query_params: { start, span: 90 * DAY, rows, offset: from, n },
    });
    log(`generated ${Math.min(rows, from + n).toLocaleString()} / ${rows.toLocaleString()} rows (${((Date.now() - began) / 1000).toFixed(1)} s)`);
  }
  return (Date.now() - began) / 1000;
}

async function time(client: ClickHouseClient, q: BuiltQuery, runs: number): Promise<{ p50: number; p95: number; rows: number }> {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs + 1; i++) {
    const t = process.hrtime.bigint();
    const res = await client.query({ query: q.sql, query_params: q.params, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
    rows = (await res.json()).length;
    if (i > 0) samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)];
  return { p50: pct(50), p95: pct(95), rows };
}

interface LagResult {
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  achievedRps: number;
  stored: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  load: string;
  /** CPU of the analytics process (all its threads: JS, chDB's inserts and merges) per stored trace, from the start of the load until the last trace was stored. */
  analyticsCpuUs: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{ requests: { total: number }; '2xx': number; duration: number }>;

/** Ingress under a fixed request rate with Kafka and the analytics app running; lag quantiles read from the app's chDB after it stopped. */
async function benchLag(rate: number, seconds: number): Promise<LagResult> {
  const kafka = await kafkaBrokers();
  const mock = await spawnListening('test/support/mock-upstream/main.js', ['--port', '0', '--no-record']);
  const cfg = writeBenchConfig(mock.url);
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-bench-lag-'));
  const admin = randomBytes(24).toString('hex');
  const common = { GATEHOUSE_CONFIG: cfg.path, KAFKA_BROKERS: kafka.brokers, GATEHOUSE_ADMIN_TOKEN: admin, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  // BENCH_APPS_DIST: run another build's apps (e.g. the commit before a change) with this script.
  const distDir = process.env.BENCH_APPS_DIST || undefined;
  const analytics = await startApp('analytics', { distDir, env: { ...common, GATEHOUSE_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: 'gh_lag' }, readyTimeoutMs: 60_000 });
  const ingress = await startApp('ingress', { distDir, env: common });
  try {
    const body = JSON.stringify({ model: BENCH_MODEL, messages: [{ role: 'user', content: 'Say hello.' }] });
    const headers = { authorization: `Bearer ${cfg.apiKey}`, 'content-type': 'application/json' };
    await autocannon({ url: `${ingress.url}/v1/chat/completions`, method: 'POST', headers, body, connections: 20, amount: 500 });
    const since = Date.now();
    const cpu0 = cpuMs(analytics.pid);
    log(`lag phase: ${rate} req/s for ${seconds} s…`);
    const r = await autocannon({ url: `${ingress.url}/v1/chat/completions`, method: 'POST', headers, body, connections: 64, overallRate: rate, duration: seconds });
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    const usage = async () => {
      const res = await fetch(`${analytics.url}/analytics/usage?from=${since - 1000}`, { headers: { authorization: `Bearer ${admin}` } });
      return ((await res.json()) as { data: { requests: number }[] }).data[0]?.requests ?? 0;
    };
    let stored = 0;
    let cpuStored = NaN;
    for (let still = 0, until = Date.now() + 60_000; Date.now() < until && (stored < r['2xx'] || still < 4); ) {
      const n = await usage();
      still = n === stored ? still + 1 : 0;
      if (n !== stored || Number.isNaN(cpuStored)) cpuStored = cpuMs(analytics.pid);
      stored = n;
      await new Promise((res) => setTimeout(res, 500));
    }
    const analyticsCpuUs = ((cpuStored - cpu0) * 1000) / Math.max(1, stored);
    await ingress.stop();
    await analytics.stop();
    const env = parseEnv({ ...process.env, CLICKHOUSE_URL: undefined, GATEHOUSE_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: 'gh_lag' });
    const client = await createClickHouse(env, logger);
    try {
      const [q] = await (await client.query({
        query: `SELECT count() AS n, quantilesExact(0.5, 0.95, 0.99)(toFloat64(inserted_at) - toFloat64(ts_end)) AS q, max(toFloat64(inserted_at) - toFloat64(ts_end)) AS mx
                FROM gh_lag.traces WHERE ts_start >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')`,
        query_params: { since },
        format: 'JSONEachRow',
      })).json<{ n: string; q: number[]; mx: number }>();
      const ms = (v: number | undefined) => (v ?? NaN) * 1000;
      return {
        rate, seconds, sent: r.requests.total, ok: r['2xx'], achievedRps: r.requests.total / r.duration, stored: Number(q?.n),
        p50: ms(q?.q[0]), p95: ms(q?.q[1]), p99: ms(q?.q[2]), max: ms(q?.mx), load, analyticsCpuUs,
      };
    } finally {
      await client.close();
    }
  } finally {
    await ingress.stop();
    await analytics.stop();
    await mock.stop();
    await kafka.stop();
    rmSync(cfg.dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { phases: { type: 'string', default: 'lag,ingest,queries' }, 'lag-rate': { type: 'string', default: '2000' }, 'lag-seconds': { type: 'string', default: '20' }, rows: { type: 'string', default: '10000000' }, ingest: { type: 'string', default: '200000' }, runs: { type: 'string', default: '20' } },
  });
  const rows = Number(values.rows);
  const ingest = Number(values.ingest);
  const runs = Number(values.runs);
  const phases = new Set(values.phases.split(','));
  // chDB opens one data directory per process: the lag phase reads the analytics app's, so it runs first.
  const lag = phases.has('lag') ? await benchLag(Number(values['lag-rate']), Number(values['lag-seconds'])) : null;
  if (phases.size === 1 && lag) {
    process.stdout.write(`${lagSection(lag).join('\n')}\n`);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-bench-analytics-'));
  const env = parseEnv({ ...process.env, GATEHOUSE_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: DB });
  const client = await createClickHouse(env, logger);
  try {
    await client.command({ query: `DROP DATABASE IF EXISTS ${DB}` });
    await runMigrations(client, { database: DB, dir: MIGRATIONS_DIR, vars: { ttl_days: 3650 }, logger });
    const engine = env.CLICKHOUSE_URL ? `ClickHouse server ${env.CLICKHOUSE_URL}` : 'chDB (in-process)';

    const ingestResults = [];
    for (const chunk of phases.has('ingest') ? [500, 5000, 10_000] : []) {
      log(`ingest phase, batches of ${chunk}…`);
      ingestResults.push({ chunk, load: loadavg()[0]!, ...(await benchIngest(client, ingest, chunk)) });
      const [stored] = await (await client.query({ query: `SELECT (SELECT count() FROM ${DB}.traces) AS n, (SELECT sum(requests) FROM ${DB}.usage_hourly) AS r`, format: 'JSONEachRow' })).json<{ n: string; r: string }>();
      if (Number(stored?.n) !== ingest || Number(stored?.r) !== ingest) throw new Error(`ingest stored ${JSON.stringify(stored)} for ${ingest} traces`);
      await client.command({ query: `TRUNCATE TABLE ${DB}.traces` });
      await client.command({ query: `TRUNCATE TABLE ${DB}.usage_hourly` });
      await client.command({ query: `TRUNCATE TABLE ${DB}.usage_daily` });
    }

    const end = Date.now();
    log('generating synthetic traces…');
    const genSeconds = phases.has('queries') ? await generate(client, rows, end) : 0;
    for (const rollup of ['usage_hourly', 'usage_daily']) await client.command({ query: `OPTIMIZE TABLE ${DB}.${rollup} FINAL` }).catch(() => undefined);

    const admin = { kind: 'admin' } as const;
    const q = (o: Record<string, string>) => o;
    const queries: [string, BuiltQuery][] = [
      ['usage by model, 90 days (API)', buildUsageQuery(parseUsageParams(q({ from: String(end - 90 * DAY), to: String(end), group_by: 'model' }), end), admin, DB)],
      ['usage by day, 90 days (API)', buildUsageQuery(parseUsageParams(q({ from: String(end - 90 * DAY), to: String(end), group_by: 'day' }), end), admin, DB)],
      ['usage by day, one model, 90 days (API)', buildUsageQuery(parseUsageParams(q({ from: String(end - 90 * DAY), to: String(end), group_by: 'day', model: 'model-7' }), end), admin, DB)],
      ['usage by day, one team, 90 days (team key)', buildUsageQuery(parseUsageParams(q({ from: String(end - 90 * DAY), to: String(end), group_by: 'day' }), end), { kind: 'team', teams: ['team-7'] }, DB)],
      ['usage by key, 90 days (API, hourly rollup)', buildUsageQuery(parseUsageParams(q({ from: String(end - 90 * DAY), to: String(end), group_by: 'key' }), end), admin, DB)],
      ['usage by model, errors only, 90 days (API, raw traces)', buildUsageQuery(parseUsageParams(q({ from: String(end - 90 * DAY), to: String(end), group_by: 'model', status: 'error' }), end), admin, DB)],
      ['usage by model × day, 90 days (hourly rollup)', {
        sql: `SELECT model, toStartOfDay(hour) AS day, sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(cost_usd) AS cost_usd
              FROM ${DB}.usage_hourly WHERE hour >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') GROUP BY model, day ORDER BY day, model`,
        params: { from: end - 90 * DAY },
      }],
      ['usage by model × day, 90 days (raw traces)', {
        sql: `SELECT model_requested AS model, toStartOfDay(ts_start) AS day, count() AS requests, sum(input_tokens) AS input_tokens, sum(cost_usd) AS cost_usd
              FROM ${DB}.traces WHERE ts_start >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') GROUP BY model, day ORDER BY day, model`,
        params: { from: end - 90 * DAY },
      }],
      ['latency p50/p95/p99 by model, 7 days (API)', buildLatencyQuery(parseLatencyParams(q({ from: String(end - 7 * DAY), to: String(end), group_by: 'model' }), end), admin, DB)],
      ['trace search metadata.user, 90 days (API)', buildTracesQuery(parseTracesParams(q({ from: String(end - 90 * DAY), to: String(end), 'metadata.user': 'u4242', limit: '50' }), end), admin, DB)],
      ['trace search metadata.user, one team, 90 days (team key)', buildTracesQuery(parseTracesParams(q({ from: String(end - 90 * DAY), to: String(end), 'metadata.user': 'u4242', limit: '50' }), end), { kind: 'team', teams: ['team-7'] }, DB)],
      ['trace list newest 50, 24 h (API)', buildTracesQuery(parseTracesParams(q({ limit: '50' }), end), admin, DB)],
    ];
    const results = [];
    for (const [name, query] of phases.has('queries') ? queries : []) {
      log(`query: ${name}`);
      results.push({ name, ...(await time(client, query, runs)) });
    }

    const out: string[] = [];
    out.push('# Analytics benchmark', '');
    out.push(`engine: ${engine}; CPU: ${cpus()[0]?.model ?? '?'} × ${cpus().length}; Node ${process.version}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`, '');
    if (ingestResults.length > 0) out.push('## Ingest (one consumer: batch handed over, stored, acknowledged; dedupe check included)', '');
    if (ingestResults.length > 0) out.push('| batch from the bus | traces | seconds | traces/s | CPU µs per trace (JS + chDB threads) | load (1 min) |', '|---:|---:|---:|---:|---:|---:|');
    for (const r of ingestResults) {
      out.push(`| ${r.chunk} | ${ingest.toLocaleString()} | ${r.seconds.toFixed(2)} | ${Math.round(r.rowsPerSec).toLocaleString()} | ${r.cpuUs.toFixed(1)} | ${r.load.toFixed(2)} |`);
    }
    if (lag) out.push(...lagSection(lag));
    if (results.length > 0) out.push('', `## Queries over ${rows.toLocaleString()} synthetic traces (90 days, 50 teams, 30 models; generated in ${genSeconds.toFixed(1)} s), ${runs} runs after one warm-up`, '');
    if (results.length > 0) out.push('| query | rows returned | p50 ms | p95 ms |', '|---|---:|---:|---:|');
    for (const r of results) out.push(`| ${r.name} | ${r.rows} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    if (env.CLICKHOUSE_URL) await client.command({ query: `DROP DATABASE IF EXISTS ${DB}` }).catch(() => undefined);
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function lagSection(l: LagResult): string[] {
  return [
    '', `## End-to-end lag: ingress at ${l.rate.toLocaleString()} req/s for ${l.seconds} s → Kafka → analytics (chDB), load ${l.load}`, '',
    '| requests sent | 2xx | achieved req/s | traces stored | lag p50 ms | p95 ms | p99 ms | max ms | analytics CPU µs/trace |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${l.sent.toLocaleString()} | ${l.ok.toLocaleString()} | ${Math.round(l.achievedRps).toLocaleString()} | ${l.stored.toLocaleString()} | ${l.p50.toFixed(0)} | ${l.p95.toFixed(0)} | ${l.p99.toFixed(0)} | ${l.max.toFixed(0)} | ${l.analyticsCpuUs.toFixed(0)} |`,
  ];
}

main().catch((e: Error) => {
  process.stderr.write(`bench failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
