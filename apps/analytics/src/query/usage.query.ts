import { z } from 'zod';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { GroupBySchema, groupSelect, isTimeGroup, type GroupBy } from './group-by';
import { parseFilters, parseWith, type Filters } from './params';
import { TRACE_COLUMNS, whereClause, type BuiltQuery } from './where';

export interface UsageParams {
  filters: Filters;
  groupBy: GroupBy | null;
}

export function parseUsageParams(query: Record<string, string>, now = Date.now()): UsageParams {
  const { group_by } = parseWith(z.object({ group_by: GroupBySchema.optional() }), { group_by: query.group_by });
  return { filters: parseFilters(query, now), groupBy: group_by ?? null };
}

/** requests, input/output tokens, cost_usd and errors per group (one total row without group_by). */
export function buildUsageQuery(p: UsageParams, caller: AnalyticsCaller, database: string): BuiltQuery {
  const where = whereClause(p.filters, caller, TRACE_COLUMNS);
  const group = p.groupBy ? `${groupSelect(p.groupBy)} AS ${p.groupBy},` : '';
  const tail = p.groupBy ? `GROUP BY ${p.groupBy} ORDER BY ${isTimeGroup(p.groupBy) ? `${p.groupBy} ASC` : 'cost_usd DESC, requests DESC'} LIMIT 10000` : '';
  const sql = `SELECT ${group}
    count() AS requests,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    round(sum(ifNull(cost_usd, 0)), 9) AS cost_usd,
    countIf(status >= 400) AS errors
  FROM ${database}.traces
  WHERE ${where.sql}
  ${tail}`;
  return { sql, params: where.params };
}
