import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseEnv } from '@gatehouse/config';
import { createClickHouse, type ClickHouseClient } from '@gatehouse/clickhouse/client';
import { runMigrations } from '@gatehouse/clickhouse';
import { MIGRATIONS_DIR } from '../../apps/analytics/src/analytics.module';
import { BatchWriter } from '../../apps/analytics/src/ingest/batch-writer';
import { TRACE_NULLABLE_COLUMNS, TRACE_ROW_COLUMNS, toDateTime64, type TraceRow } from '../../apps/analytics/src/rows/rows';
import { buildUsageQuery, parseUsageParams } from '../../apps/analytics/src/query/usage.query';

const logger = pino({ level: 'silent' });
const database = 'gh_rollup_upgrade';
const DAY = 86_400_000;
const NOW = Date.now();

function row(i: number): TraceRow {
  const ts = NOW - 10 * DAY + i * 3_907_000;
  return {
    request_id: `up-${i}`, trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), parent_span_id: '', ts_start: toDateTime64(ts), ts_end: toDateTime64(ts + 100),
    latency_ms: 100, ttft_ms: null, status: i % 5 === 0 ? 502 : 200, error_type: '', client_format: 'openai', endpoint: 'chat',
    model_requested: i % 2 ? 'gpt-4o-mini' : 'claude-3-5-haiku', provider: i % 2 ? 'openai' : 'anthropic', model_upstream: 'm', attempts: 1,
    attempt_details: '[]', key_id: `key-${i % 3}`, key_name: 'k', team: `team-${i % 2}`, metadata: {}, input_tokens: 10 + i, output_tokens: 3,
    cached_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0.5, cost_saved_usd: 0, cost_input_usd: 0.25, cost_output_usd: 0.25,
    cost_cached_input_usd: 0, cost_cache_write_usd: 0, cost_reasoning_usd: 0, pricing_unknown: false, cache_hit: false, cache_status: '', stream: false,
    guardrail_action: 'none', guardrail_policies: '[]', guardrail_flagged: 0, guardrail_redacted: 0, guardrail_denied: 0,
    request_body: null, response_body: null,
  };
}
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => row(from + i));

describe('the daily usage rollup (migration 004) on a data directory written before it existed', () => {
  let dataDir: string;
  let client: ClickHouseClient;
  let writer: BatchWriter<TraceRow>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gh-rollup-up-'));
    client = await createClickHouse(parseEnv({ GATEHOUSE_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: database }), logger);
    writer = new BatchWriter<TraceRow>(client, {
      database, table: 'traces', idColumn: 'request_id', tsColumn: 'ts_start', columns: TRACE_ROW_COLUMNS, nullable: TRACE_NULLABLE_COLUMNS, maxRows: 1000,
    }, logger);
  });

  afterAll(async () => {
    await writer.close();
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const raw = async () => (await client.query({
    query: `SELECT formatDateTime(toStartOfDay(ts_start, 'UTC'), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS day, count() AS requests, sum(input_tokens) AS input_tokens,
              sum(output_tokens) AS output_tokens, round(sum(ifNull(cost_usd, 0)), 9) AS cost_usd, countIf(status >= 400) AS errors,
              round(sum(cost_saved_usd), 9) AS cost_saved_usd, countIf(cache_hit) AS cache_hits
            FROM ${database}.traces GROUP BY day ORDER BY day`,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  })).json();
  const api = async () => {
    const q = buildUsageQuery(parseUsageParams({ from: String(NOW - 14 * DAY), to: String(NOW + 1000), group_by: 'day' }, NOW), { kind: 'admin' }, database);
    const res = await client.query({ query: q.sql, query_params: q.params, format: 'JSONEachRow', clickhouse_settings: { output_format_json_quote_64bit_integers: 0 } });
    return res.json();
  };

  it('backfills what was stored before, then counts new and replayed traces once, as the raw table does', async () => {
    const old = mkdtempSync(join(tmpdir(), 'gh-rollup-mig-'));
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => /^00[1-3]_.*\.sql$/.test(f))) copyFileSync(join(MIGRATIONS_DIR, f), join(old, f));
    await runMigrations(client, { database, dir: old, vars: { ttl_days: 30 }, logger });
    rmSync(old, { recursive: true, force: true });
    await writer.write(rows(0, 150));
    await writer.write(rows(100, 50));

    await expect(runMigrations(client, { database, dir: MIGRATIONS_DIR, vars: { ttl_days: 30 }, logger })).resolves.toContain('004_usage_daily.sql');
    await writer.write(rows(140, 80));
    await writer.write(rows(0, 30));

    const expected = await raw();
    expect(expected.reduce((n: number, r: any) => n + r.requests, 0)).toBe(220);
    expect(expected.length).toBeGreaterThanOrEqual(9);
    expect(await api()).toEqual(expected);
    const [daily] = await (await client.query({
      query: `SELECT sum(requests) AS n, sum(errors) AS e FROM ${database}.usage_daily`, format: 'JSONEachRow',
    })).json<{ n: string; e: string }>();
    expect({ n: Number(daily?.n), e: Number(daily?.e) }).toEqual({ n: 220, e: 44 });
  });
});
