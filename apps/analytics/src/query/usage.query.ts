import { z } from 'zod';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { GroupBySchema, groupOrder, groupSelect, TRACE_GROUPS, type GroupBy } from './group-by';
import { parseFilters, parseWith } from './params';
import { planUsage, type UsageParams, type UsageSource } from './usage-plan';
import { TRACE_COLUMNS, whereClause, type BuiltQuery, type FilterColumns, type QueryParams } from './where';

export type { UsageParams };

export function parseUsageParams(query: Record<string, string>, now = Date.now()): UsageParams {
  const { group_by } = parseWith(z.object({ group_by: GroupBySchema.optional() }), { group_by: query.group_by });
  return { filters: parseFilters(query, now), groupBy: group_by ?? [] };
}

interface SourceShape {
  groups: Record<GroupBy, string>;
  columns: FilterColumns;
  /** requests, input_tokens, output_tokens, cost_usd, errors, cost_saved_usd, cache_hits of the rows of one slice. */
  sums: string;
}

const ROLLUP_SUMS = `sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      sum(cost_usd) AS cost_usd, sum(errors) AS errors, sum(cost_saved_usd) AS cost_saved_usd, sum(cache_hits) AS cache_hits`;

/**
 * Column names and aggregates per source (fixed text, never user input). usage_daily has no key and
 * the rollups have no error type: the plan never sends such queries there.
 */
const SOURCES: Record<UsageSource, SourceShape> = {
  traces: {
    groups: TRACE_GROUPS,
    columns: TRACE_COLUMNS,
    sums: `count() AS requests, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      sum(ifNull(cost_usd, 0)) AS cost_usd, countIf(status >= 400) AS errors, sum(cost_saved_usd) AS cost_saved_usd,
      countIf(cache_hit) AS cache_hits`,
  },
  usage_hourly: {
    groups: { model: 'model', provider: 'provider', team: 'team', key: 'key_id', error_type: "''", day: "toStartOfDay(hour, 'UTC')", hour: 'hour' },
    columns: { ts: 'hour', model: 'model', provider: 'provider', team: 'team', key_id: 'key_id' },
    sums: ROLLUP_SUMS,
  },
  usage_daily: {
    groups: { model: 'model', provider: 'provider', team: 'team', key: "''", error_type: "''", day: 'day', hour: 'day' },
    columns: { ts: 'day', model: 'model', provider: 'provider', team: 'team', key_id: "''" },
    sums: ROLLUP_SUMS,
  },
};

/**
 * requests, input/output tokens, cost_usd, errors, cost_saved_usd and cache_hits (response cache) per group (one total row without group_by).
 * The range is read in slices (see planUsage): whole days and hours from the rollups, which the
 * materialized views fill from the same deduplicated inserts as traces, the rest from raw traces.
 */
export function buildUsageQuery(p: UsageParams, caller: AnalyticsCaller, database: string): BuiltQuery {
  const params: QueryParams = {};
  const dims = p.groupBy;
  const branches = planUsage(p).map((seg, i) => {
    const shape = SOURCES[seg.source];
    const where = whereClause(p.filters, caller, shape.columns);
    Object.assign(params, where.params, { [`s${i}_from`]: seg.from, [`s${i}_to`]: seg.to });
    const ts = shape.columns.ts;
    const group = dims.map((g, d) => `${shape.groups[g]} AS g${d},`).join(' ');
    return `SELECT ${group} ${shape.sums}
    FROM ${database}.${seg.source}
    WHERE ${where.sql}
      AND ${ts} >= fromUnixTimestamp64Milli({s${i}_from:Int64}, 'UTC') AND ${ts} < fromUnixTimestamp64Milli({s${i}_to:Int64}, 'UTC')
    ${groupByClause(dims)}`;
  });
  const outer = dims.map((g, d) => `${groupSelect(g, `g${d}`)} AS ${g},`).join(' ');
  const tail = dims.length ? `${groupByClause(dims)} ORDER BY ${groupOrder(dims, 'cost_usd DESC, requests DESC')} LIMIT 10000` : '';
  const sql = `SELECT ${outer}
    sum(requests) AS requests,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    round(sum(cost_usd), 9) AS cost_usd,
    sum(errors) AS errors,
    round(sum(cost_saved_usd), 9) AS cost_saved_usd,
    sum(cache_hits) AS cache_hits
  FROM (
    ${branches.join('\n    UNION ALL\n    ')}
  )
  ${tail}`;
  return { sql, params };
}

const groupByClause = (dims: GroupBy[]): string => (dims.length ? `GROUP BY ${dims.map((_, d) => `g${d}`).join(', ')}` : '');
