import { z } from 'zod';
import { invalidRequest } from '@gatehouse/contracts';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { parseFilters, parseWith, type Filters } from './params';
import { TRACE_COLUMNS, whereClause, type BuiltQuery } from './where';

/** Position after the last trace of a page: newest first, ties broken by request_id. */
const CursorSchema = z.object({ t: z.number().int().nonnegative(), id: z.string().min(1).max(256) }).strict();
export type TraceCursor = z.infer<typeof CursorSchema>;

export const encodeCursor = (c: TraceCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(s: string): TraceCursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw invalidRequest('cursor: not a cursor returned by this API', 'cursor');
  }
  const r = CursorSchema.safeParse(raw);
  if (!r.success) throw invalidRequest('cursor: not a cursor returned by this API', 'cursor');
  return r.data;
}

export interface TracesParams {
  filters: Filters;
  limit: number;
  cursor: TraceCursor | null;
}

const PageSchema = z.object({
  limit: z.string().regex(/^\d{1,4}$/, 'expected an integer from 1 to 1000').transform(Number).pipe(z.number().int().min(1).max(1000)).optional(),
  cursor: z.string().max(1024).optional(),
});

export function parseTracesParams(query: Record<string, string>, now = Date.now()): TracesParams {
  const page = parseWith(PageSchema, { limit: query.limit, cursor: query.cursor });
  return { filters: parseFilters(query, now), limit: page.limit ?? 50, cursor: page.cursor ? decodeCursor(page.cursor) : null };
}

/** The stored columns a trace list reads (no bodies). */
const TRACE_SUMMARY_SOURCE = `request_id, trace_id, ts_start, ts_end, latency_ms, ttft_ms, status, error_type, client_format,
    endpoint, model_requested, provider, model_upstream, attempts, key_id, key_name, team, metadata, input_tokens, output_tokens,
    cached_tokens, reasoning_tokens, cost_usd, cost_saved_usd, cache_hit, cache_status, stream, guardrail_action`;

/**
 * The list columns as the API returns them: timestamps as epoch ms like the events, '' back to null.
 * Applied in an outer SELECT: ClickHouse lets an alias shadow a column in WHERE, so the filters run
 * on the stored columns in the inner query.
 */
const TRACE_SUMMARY_COLUMNS = `request_id, trace_id,
    toUnixTimestamp64Milli(ts_start) AS ts_start, toUnixTimestamp64Milli(ts_end) AS ts_end,
    latency_ms, ttft_ms, status, nullIf(error_type, '') AS error_type, client_format, endpoint,
    model_requested, nullIf(provider, '') AS provider, nullIf(model_upstream, '') AS model_upstream, attempts,
    nullIf(key_id, '') AS key_id, nullIf(key_name, '') AS key_name, nullIf(team, '') AS team, metadata,
    input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_usd, cost_saved_usd, cache_hit,
    if(cache_status = '', 'BYPASS', cache_status) AS cache_status, stream, guardrail_action`;

/**
 * One page, newest first; fetches limit + 1 rows to know whether a next page exists. The page's keys
 * (ts_start, request_id) are found first reading only the key and filter columns; the listed columns are
 * then read for those rows only (PREWHERE on the key set), not for every row of the range.
 */
export function buildTracesQuery(p: TracesParams, caller: AnalyticsCaller, database: string): BuiltQuery {
  const where = whereClause(p.filters, caller, TRACE_COLUMNS);
  const conds = [where.sql];
  const params = { ...where.params, limit: p.limit + 1 };
  if (p.cursor) {
    conds.push(`(ts_start < fromUnixTimestamp64Milli({cursor_t:Int64}, 'UTC')
      OR (ts_start = fromUnixTimestamp64Milli({cursor_t:Int64}, 'UTC') AND request_id < {cursor_id:String}))`);
    Object.assign(params, { cursor_t: p.cursor.t, cursor_id: p.cursor.id });
  }
  const sql = `SELECT ${TRACE_SUMMARY_COLUMNS}
  FROM (
    SELECT ${TRACE_SUMMARY_SOURCE}
    FROM ${database}.traces
    PREWHERE (ts_start, request_id) IN (
      SELECT DISTINCT ts_start, request_id
      FROM ${database}.traces
      WHERE ${conds.join(' AND ')}
      ORDER BY ts_start DESC, request_id DESC
      LIMIT {limit:UInt32}
    )
    WHERE ${conds.join(' AND ')}
    ORDER BY ts_start DESC, request_id DESC
    LIMIT 1 BY request_id
    LIMIT {limit:UInt32}
  )
  ORDER BY ts_start DESC, request_id DESC`;
  return { sql, params };
}
