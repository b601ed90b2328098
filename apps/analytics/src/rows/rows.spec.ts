import { TraceSchema, type Trace, VerdictSchema } from '@gatehouse/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRACE_NULLABLE_COLUMNS, TRACE_ROW_COLUMNS, VERDICT_NULLABLE_COLUMNS, VERDICT_ROW_COLUMNS, fromDateTime64, toDateTime64, traceFromRow, traceToRow, verdictToRow } from './rows';

const trace: Trace = TraceSchema.parse({
  request_id: 'req-1', trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), parent_span_id: null,
  ts_start: Date.UTC(2026, 0, 2, 3, 4, 5, 678), ts_end: Date.UTC(2026, 0, 2, 3, 4, 6, 9),
  latency_ms: 1331, ttft_ms: null, status: 200, error_type: null, client_format: 'openai', endpoint: 'chat',
  model_requested: 'gpt-4o-mini', provider: null, model_upstream: null, attempts: 1,
  attempt_details: [{ provider: 'openai', model: 'gpt-4o-mini', status: 200, error_type: null, latency_ms: 1300 }],
  key_id: null, key_name: null, team: null, metadata: { user: 'u1' },
  input_tokens: 10, output_tokens: 20, cached_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0,
  cost_usd: 0.000123, cost: { input_usd: 0.0001, output_usd: 0.000023, cached_input_usd: 0, cache_write_usd: 0, reasoning_usd: 0 },
  pricing_unknown: false, cache_hit: false, cache_status: 'BYPASS', cost_saved_usd: 0, stream: true,
  guardrails: { action: 'flag', policies: [{ id: 'p1', version: 2 }], flagged: 1, redacted: 0, denied: 0 },
  request_body: null, response_body: null,
});

describe('row mapping', () => {
  it('renders epoch milliseconds as a UTC DateTime64(3) literal', () => {
    expect(toDateTime64(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02 03:04:05.678');
    expect(toDateTime64(0)).toBe('1970-01-01 00:00:00.000');
    // The hand-formatted path agrees with toISOString across hours, days, years and leap days, and outside it.
    const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    const samples = [Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(2026, 11, 31, 23, 0, 0, 7), Date.UTC(2027, 0, 1, 0, 0, 59, 90), -1, 1.5, 8.64e15];
    for (let ms = Date.UTC(2026, 5, 1); ms < Date.UTC(2026, 5, 3); ms += 7_777_777) samples.push(ms, ms + 1);
    for (const ms of samples) expect(toDateTime64(ms)).toBe(iso(ms));
  });

  it('maps a trace to a traces row with empty strings for missing dimensions', () => {
    const row = traceToRow(trace);
    expect(row).toMatchObject({
      request_id: 'req-1', ts_start: '2026-01-02 03:04:05.678', ts_end: '2026-01-02 03:04:06.009',
      team: '', key_id: '', provider: '', parent_span_id: '', error_type: '', ttft_ms: null,
      cost_usd: 0.000123, cost_input_usd: 0.0001, cost_output_usd: 0.000023,
      guardrail_action: 'flag', guardrail_flagged: 1, metadata: { user: 'u1' }, stream: true,
      request_body: null,
    });
    expect(JSON.parse(row.attempt_details)).toEqual(trace.attempt_details);
    expect(JSON.parse(row.guardrail_policies)).toEqual([{ id: 'p1', version: 2 }]);
  });

  it('maps a row back to the very trace it came from (traceFromRow is the inverse of traceToRow)', () => {
    expect(fromDateTime64(toDateTime64(trace.ts_start))).toBe(trace.ts_start);
    expect(traceFromRow(traceToRow(trace))).toEqual(trace);
    const full: Trace = TraceSchema.parse({
      ...trace, parent_span_id: 'c'.repeat(16), provider: 'openai', model_upstream: 'gpt-4o-mini-2024', error_type: 'upstream_error',
      key_id: 'k1', key_name: 'dev', team: 'platform', ttft_ms: 12.5, request_body: '{"a":1}', response_body: 'ok',
    });
    expect(traceFromRow(traceToRow(full))).toEqual(full);
    const unpriced: Trace = { ...trace, cost_usd: null, cost: null, pricing_unknown: true };
    expect(traceFromRow(traceToRow(unpriced))).toEqual(unpriced);
  });

  it('keeps cost parts at zero when the price is unknown', () => {
    const row = traceToRow({ ...trace, cost_usd: null, cost: null, pricing_unknown: true });
    expect(row).toMatchObject({ cost_usd: null, cost_input_usd: 0, pricing_unknown: true });
  });

  it('maps a verdict', () => {
    const v = VerdictSchema.parse({
      verdict_id: 'v1', request_id: 'req-1', ts: Date.UTC(2026, 0, 2), policy_id: 'pii', policy_version: 3, check_index: 0,
      check_type: 'pii', stage: 'input', action: 'redact', outcome: 'fail', mode: 'enforce', applied: true, score: null,
      details: ['email'], async: false, key_id: 'k1', team: 'team-a', model: null,
    });
    expect(verdictToRow(v)).toMatchObject({ ts: '2026-01-02 00:00:00.000', model: '', team: 'team-a', details: ['email'], policy_version: 3 });
  });
});

describe('row columns', () => {
  it('lists every field of a mapped row, in the order the row has them', () => {
    expect(TRACE_ROW_COLUMNS).toEqual(Object.keys(traceToRow(trace)));
  });

  it('writes exactly the columns the migrations create and add (all but inserted_at, which ClickHouse fills), in their order', () => {
    const columnsIn = (file: string, table: string) => {
      const sql = readFileSync(join(__dirname, '../../../../libs/clickhouse/src/migrations', file), 'utf8');
      const body = sql.slice(sql.indexOf(`.${table}\n`));
      const block = body.slice(body.indexOf('(') + 1, body.indexOf('\n)'));
      const created = [...block.matchAll(/^\s{4}(\w+)\s+[A-Z]\w*/gm)].map((m) => m[1]).filter((c) => c !== 'INDEX');
      return created.filter((c) => c !== 'inserted_at');
    };
    const dir = join(__dirname, '../../../../libs/clickhouse/src/migrations');
    const later = readdirSync(dir).filter((f) => /^\d{3}_.*\.sql$/.test(f) && f > '002').sort().map((f) => readFileSync(join(dir, f), 'utf8'));
    /** The columns of a table after the later migrations' `ADD COLUMN ... AFTER ...` (the only column change they may make to it; `MODIFY SETTING` changes none). */
    const altered = (table: string, columns: string[]) => {
      const out = [...columns];
      for (const sql of later) {
        for (const m of sql.matchAll(new RegExp(`ALTER TABLE \\S*\\.${table}\\b([^;]*);`, 'g'))) {
          if (/^ MODIFY SETTING /.test(m[1])) continue;
          const add = /^ ADD COLUMN IF NOT EXISTS (\w+) .* AFTER (\w+)$/.exec(m[1]);
          expect(add).not.toBeNull();
          out.splice(out.indexOf(add![2]) + 1, 0, add![1]);
        }
      }
      return out;
    };
    expect(TRACE_ROW_COLUMNS).toEqual(altered('traces', columnsIn('001_traces.sql', 'traces')));
    expect(VERDICT_ROW_COLUMNS).toEqual(altered('verdicts', columnsIn('002_verdicts.sql', 'verdicts')));
  });

  it('names as nullable exactly the Nullable columns of the tables (their default is NULL, not 0)', () => {
    const nullableIn = (file: string) => {
      const sql = readFileSync(join(__dirname, '../../../../libs/clickhouse/src/migrations', file), 'utf8');
      return [...sql.matchAll(/^\s+(\w+)\s+Nullable\(/gm)].map((m) => m[1]).sort();
    };
    expect([...TRACE_NULLABLE_COLUMNS].sort()).toEqual(nullableIn('001_traces.sql'));
    expect([...VERDICT_NULLABLE_COLUMNS].sort()).toEqual(nullableIn('002_verdicts.sql'));
  });
});
