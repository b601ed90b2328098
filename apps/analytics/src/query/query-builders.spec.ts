import { GatewayError } from '@gatehouse/contracts';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { buildGuardrailsQuery, parseGuardrailsParams } from './guardrails.query';
import { buildLatencyQuery, parseLatencyParams } from './latency.query';
import { buildTraceDetailQuery, buildTraceVerdictsQuery } from './trace-detail.query';
import { buildTracesQuery, decodeCursor, encodeCursor, parseTracesParams } from './traces.query';
import { planUsage } from './usage-plan';
import { buildUsageQuery, parseUsageParams } from './usage.query';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const admin: AnalyticsCaller = { kind: 'admin' };
const teamA: AnalyticsCaller = { kind: 'team', teams: ['team-a'] };
const INJECTIONS = [
  "x' OR 1=1 --",
  "'; DROP TABLE gatehouse.traces; --",
  'a} OR {b:String',
  "\\' UNION SELECT * FROM system.users --",
];

function badRequest(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).status).toBe(400);
    return e as GatewayError;
  }
  throw new Error('expected a 400');
}

describe('usage query', () => {
  it('defaults to the last 24 hours and one total row', () => {
    const p = parseUsageParams({}, NOW);
    expect(p.filters.to).toBe(NOW);
    expect(p.filters.from).toBe(NOW - 86_400_000);
    const q = buildUsageQuery(p, admin, 'gatehouse');
    expect(q.sql).not.toContain('GROUP BY');
    expect(q.params).toMatchObject({ from: NOW - 86_400_000, to: NOW });
  });

  it('accepts ISO-8601 and epoch milliseconds for from/to', () => {
    const p = parseUsageParams({ from: '2026-11-01T00:00:00Z', to: String(Date.UTC(2026, 10, 2)) }, NOW);
    expect(p.filters.from).toBe(Date.UTC(2026, 10, 1));
    expect(p.filters.to).toBe(Date.UTC(2026, 10, 2));
  });

  it.each([
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-13-45T99:00:00Z' }, 'to'],
    [{ from: '2026-11-02', to: '2026-11-01' }, 'from'],
    [{ group_by: 'model; DROP TABLE x' }, 'group_by'],
    [{ group_by: 'cost_usd' }, 'group_by'],
    [{ group_by: 'day,hour' }, 'group_by'],
    [{ group_by: 'model,model' }, 'group_by'],
    [{ group_by: 'hour,model,team' }, 'group_by'],
    [{ status: "500' OR 1=1" }, 'status'],
    [{ 'metadata.us er': 'x' }, 'metadata.us er'],
    [{ 'metadata.a]=1 OR [b': 'x' }, 'metadata.a]=1 OR [b'],
  ])('rejects %j with a 400 naming %s', (query, param) => {
    const e = badRequest(() => parseUsageParams(query as Record<string, string>, NOW));
    expect(e.param).toBe(param);
    expect(e.type).toBe('invalid_request_error');
    expect(e.message.startsWith(`${param}: `)).toBe(true);
  });

  it('groups by a column from the fixed map only', () => {
    for (const [g, expr] of [['model', 'model_requested AS g0'], ['key', 'key_id AS g0'], ['error_type', 'error_type AS g0'], ['day', 'toStartOfDay(ts_start']] as const) {
      const q = buildUsageQuery(parseUsageParams({ group_by: g, status: 'ok' }, NOW), admin, 'gatehouse');
      expect(q.sql).toContain(expr);
      expect(q.sql).toMatch(new RegExp(`\\bg0 AS ${g}\\b|\\(g0, .*\\) AS ${g}\\b`));
    }
  });

  it('groups by a time bucket and a dimension together (a series per model), time first in the order', () => {
    const p = parseUsageParams({ group_by: 'hour,model' }, NOW);
    expect(p.groupBy).toEqual(['hour', 'model']);
    const q = buildUsageQuery(p, admin, 'gatehouse');
    expect(q.sql).toContain('GROUP BY g0, g1');
    expect(q.sql).toMatch(/formatDateTime\(g0, [^)]*\) AS hour, g1 AS model,/);
    expect(q.sql).toContain('ORDER BY hour ASC, cost_usd DESC');
  });

  it('reads the error type (grouped or filtered) from raw traces only: the rollups do not have it', () => {
    const range = { from: String(Date.UTC(2026, 10, 1)), to: String(Date.UTC(2026, 10, 10)) };
    expect(planUsage(parseUsageParams({ ...range, group_by: 'error_type' }, NOW)).map((s) => s.source)).toEqual(['traces']);
    const q = buildUsageQuery(parseUsageParams({ ...range, error_type: 'rate_limit_error' }, NOW), admin, 'gatehouse');
    expect(q.sql).not.toContain('usage_hourly');
    expect(q.sql).toContain('error_type = {error_type:String}');
    expect(q.params.error_type).toBe('rate_limit_error');
  });

  it('reads whole days from the daily rollup, whole hours from the hourly one and the edges from raw traces', () => {
    const from = Date.UTC(2026, 10, 20, 10, 30);
    const to = Date.UTC(2026, 10, 25, 12, 15);
    const plan = planUsage(parseUsageParams({ from: String(from), to: String(to), group_by: 'model' }, NOW));
    expect(plan).toEqual([
      { source: 'traces', from, to: Date.UTC(2026, 10, 20, 11) },
      { source: 'usage_hourly', from: Date.UTC(2026, 10, 20, 11), to: Date.UTC(2026, 10, 21) },
      { source: 'usage_daily', from: Date.UTC(2026, 10, 21), to: Date.UTC(2026, 10, 25) },
      { source: 'usage_hourly', from: Date.UTC(2026, 10, 25), to: Date.UTC(2026, 10, 25, 12) },
      { source: 'traces', from: Date.UTC(2026, 10, 25, 12), to },
    ]);
    const q = buildUsageQuery(parseUsageParams({ from: String(from), to: String(to), group_by: 'model' }, NOW), admin, 'gatehouse');
    for (const table of ['traces', 'usage_hourly', 'usage_daily']) expect(q.sql).toContain(`FROM gatehouse.${table}`);
  });

  it('keeps key queries off the daily rollup (it has no key) and status or metadata filters on raw traces', () => {
    const range = { from: String(Date.UTC(2026, 10, 1)), to: String(Date.UTC(2026, 10, 10)) };
    const sources = (q: Record<string, string>) => planUsage(parseUsageParams({ ...range, ...q }, NOW)).map((s) => s.source);
    expect(sources({ key_id: 'k1' })).toEqual(['usage_hourly']);
    expect(sources({ group_by: 'key' })).toEqual(['usage_hourly']);
    expect(sources({ group_by: 'hour' })).toEqual(['usage_hourly']);
    expect(sources({ group_by: 'day' })).toEqual(['usage_daily']);
    expect(sources({ status: 'error' })).toEqual(['traces']);
    expect(sources({ 'metadata.user': 'alice' })).toEqual(['traces']);
    expect(planUsage(parseUsageParams({ from: String(NOW - 1_800_000) }, NOW))).toEqual([{ source: 'traces', from: NOW - 1_800_000, to: NOW }]);
  });

  it('covers the range exactly: slices touch end to start and never overlap', () => {
    for (let i = 0; i < 200; i++) {
      const from = NOW - Math.floor(Math.random() * 40 * 86_400_000);
      const to = from + 1 + Math.floor(Math.random() * 10 * 86_400_000);
      const plan = planUsage(parseUsageParams({ from: String(from), to: String(to) }, NOW));
      expect(plan[0]!.from).toBe(from);
      expect(plan[plan.length - 1]!.to).toBe(to);
      plan.forEach((s, j) => {
        expect(s.from).toBeLessThan(s.to);
        if (j > 0) expect(s.from).toBe(plan[j - 1]!.to);
      });
    }
  });

  it.each(INJECTIONS)('binds every filter value as a parameter, never in the SQL: %s', (evil) => {
    const query = { model: evil, provider: evil, team: evil, key_id: evil, 'metadata.user': evil };
    for (const build of [
      () => buildUsageQuery(parseUsageParams(query, NOW), admin, 'gatehouse'),
      () => buildLatencyQuery(parseLatencyParams(query, NOW), admin, 'gatehouse'),
      () => buildTracesQuery(parseTracesParams(query, NOW), admin, 'gatehouse'),
      () => buildGuardrailsQuery(parseGuardrailsParams({ ...query, policy_id: evil, check_type: evil }, NOW), admin, 'gatehouse'),
    ]) {
      const q = build();
      expect(q.sql).not.toContain(evil);
      expect(q.sql).not.toContain('DROP');
      expect(Object.values(q.params)).toContain(evil);
    }
  });

  it('always restricts a team caller to its own team, even when it asks for another', () => {
    const q = buildUsageQuery(parseUsageParams({ team: 'team-b' }, NOW), teamA, 'gatehouse');
    expect(q.sql).toContain('team IN {caller_teams:Array(String)}');
    expect(q.sql).toContain('team = {team:String}');
    expect(q.params).toMatchObject({ caller_teams: ['team-a'], team: 'team-b' });
    const admin_q = buildUsageQuery(parseUsageParams({}, NOW), admin, 'gatehouse');
    expect(admin_q.sql).not.toContain('caller_teams');
  });

  it('filters by status class or code', () => {
    expect(buildUsageQuery(parseUsageParams({ status: 'error' }, NOW), admin, 'g').sql).toContain('status >= 400');
    const q = buildUsageQuery(parseUsageParams({ status: '429' }, NOW), admin, 'g');
    expect(q.sql).toContain('status = {status:UInt16}');
    expect(q.params.status).toBe(429);
  });
});

describe('latency query', () => {
  it('asks for p50/p95/p99 of latency and ttft per group', () => {
    const q = buildLatencyQuery(parseLatencyParams({ group_by: 'provider' }, NOW), admin, 'g');
    for (const col of ['latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms', 'ttft_p50_ms', 'ttft_p95_ms', 'ttft_p99_ms']) expect(q.sql).toContain(col);
    expect(q.sql).toContain('GROUP BY provider');
  });
});

describe('guardrails query', () => {
  it('rejects an unknown action and binds the team of a team caller', () => {
    expect(badRequest(() => parseGuardrailsParams({ action: 'nuke' }, NOW)).param).toBe('action');
    const q = buildGuardrailsQuery(parseGuardrailsParams({ action: 'deny' }, NOW), teamA, 'g');
    expect(q.sql).toContain('FROM g.verdicts');
    expect(q.params).toMatchObject({ action: 'deny', caller_teams: ['team-a'] });
  });

  it('gives a time series per policy, check and action with group_by=hour, and counts monitor-only verdicts', () => {
    const q = buildGuardrailsQuery(parseGuardrailsParams({ group_by: 'hour' }, NOW), admin, 'g');
    expect(q.sql).toMatch(/formatDateTime\(toStartOfHour\(ts, 'UTC'\), [^)]*\) AS hour/);
    expect(q.sql).toContain('GROUP BY hour, policy_id, check_type, action');
    expect(q.sql).toContain("countIf(mode = 'monitor') AS monitored");
    expect(badRequest(() => parseGuardrailsParams({ group_by: 'model' }, NOW)).param).toBe('group_by');
  });
});

describe('traces query', () => {
  it('pages newest first with a keyset cursor', () => {
    const cursor = encodeCursor({ t: NOW - 5000, id: 'req-9' });
    const p = parseTracesParams({ limit: '25', cursor }, NOW);
    expect(p.limit).toBe(25);
    expect(p.cursor).toEqual({ t: NOW - 5000, id: 'req-9' });
    const q = buildTracesQuery(p, admin, 'g');
    expect(q.sql).toContain('ORDER BY ts_start DESC, request_id DESC');
    expect(q.params).toMatchObject({ limit: 26, cursor_t: NOW - 5000, cursor_id: 'req-9' });
    expect(q.sql).not.toContain('request_body');
  });

  it.each([['0'], ['1001'], ['ten'], ['5; DROP']])('rejects limit=%s', (limit) => {
    expect(badRequest(() => parseTracesParams({ limit }, NOW)).param).toBe('limit');
  });

  it.each([['not-base64!'], [Buffer.from('{"t":"x"}').toString('base64url')], [Buffer.from("' OR 1=1").toString('base64url')]])(
    'rejects a forged cursor %s',
    (cursor) => {
      expect(badRequest(() => decodeCursor(cursor)).param).toBe('cursor');
    },
  );
});

describe('trace detail query', () => {
  it('binds the request id and scopes a team caller to its team', () => {
    const evil = "r1' OR team != '";
    const q = buildTraceDetailQuery(evil, teamA, 'g');
    expect(q.sql).not.toContain(evil);
    expect(q.params).toEqual({ request_id: evil, caller_teams: ['team-a'] });
    expect(buildTraceVerdictsQuery('r1', teamA, 'g').params).toEqual({ request_id: 'r1', caller_teams: ['team-a'] });
    expect(buildTraceDetailQuery('r1', admin, 'g').sql).not.toContain('caller_teams');
  });
});
