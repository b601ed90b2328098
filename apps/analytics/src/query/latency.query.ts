import type { AnalyticsCaller } from '../auth/analytics-caller';
import { groupOrder, groupSelect } from './group-by';
import { parseUsageParams, type UsageParams } from './usage.query';
import { TRACE_COLUMNS, whereClause, type BuiltQuery } from './where';

export type LatencyParams = UsageParams;
export const parseLatencyParams = parseUsageParams;

/** p50/p95/p99 of latency_ms and ttft_ms (requests without a first token are left out of ttft). */
export function buildLatencyQuery(p: LatencyParams, caller: AnalyticsCaller, database: string): BuiltQuery {
  const where = whereClause(p.filters, caller, TRACE_COLUMNS);
  const group = p.groupBy.map((g) => `${groupSelect(g)} AS ${g},`).join(' ');
  const tail = p.groupBy.length ? `GROUP BY ${p.groupBy.join(', ')} ORDER BY ${groupOrder(p.groupBy, 'requests DESC')} LIMIT 10000` : '';
  const sql = `SELECT ${group}
    count() AS requests,
    countIf(ttft_ms IS NOT NULL) AS ttft_count,
    round(quantiles(0.5, 0.95, 0.99)(latency_ms)[1], 3) AS latency_p50_ms,
    round(quantiles(0.5, 0.95, 0.99)(latency_ms)[2], 3) AS latency_p95_ms,
    round(quantiles(0.5, 0.95, 0.99)(latency_ms)[3], 3) AS latency_p99_ms,
    if(ttft_count = 0, NULL, round(quantiles(0.5, 0.95, 0.99)(ttft_ms)[1], 3)) AS ttft_p50_ms,
    if(ttft_count = 0, NULL, round(quantiles(0.5, 0.95, 0.99)(ttft_ms)[2], 3)) AS ttft_p95_ms,
    if(ttft_count = 0, NULL, round(quantiles(0.5, 0.95, 0.99)(ttft_ms)[3], 3)) AS ttft_p99_ms
  FROM ${database}.traces
  WHERE ${where.sql}
  ${tail}`;
  return { sql, params: where.params };
}
