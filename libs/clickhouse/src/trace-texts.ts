import type { ClickHouseClient } from '@clickhouse/client';

/** Which stored traces a backtest reads: a time range [from, to) in epoch ms, optionally some teams and requested models. */
export interface TraceTextFilter {
  from: number;
  to: number;
  teams: readonly string[];
  models: readonly string[];
}

/** One stored request as a backtest sees it: who, which model, and the retained bodies (null when the key kept none). */
export interface TraceTextRow {
  request_id: string;
  ts: number;
  team: string | null;
  key_id: string | null;
  key_name: string | null;
  model: string;
  request_body: string | null;
  response_body: string | null;
}

/** Position after the last row of a page (ascending time, ties by request_id). */
export interface TraceTextCursor {
  ts: number;
  request_id: string;
}

/** Rows in the range, and how many of them retained a request body. */
export interface TraceTextCount {
  total: number;
  with_bodies: number;
}

function where(filter: TraceTextFilter): { sql: string; params: Record<string, unknown> } {
  const conds = [`ts_start >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')`, `ts_start < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`];
  const params: Record<string, unknown> = { from: filter.from, to: filter.to };
  if (filter.teams.length > 0) {
    conds.push('team IN {teams:Array(String)}');
    params.teams = filter.teams;
  }
  if (filter.models.length > 0) {
    conds.push('model_requested IN {models:Array(String)}');
    params.models = filter.models;
  }
  return { sql: conds.join(' AND '), params };
}

/**
 * One page of stored traces in ascending (ts_start, request_id) order after `after`: keyset paging,
 * so a backtest holds one page at a time however long the range. A replayed trace not yet merged
 * away is read once (LIMIT 1 BY request_id).
 */
export async function readTraceTextPage(client: ClickHouseClient, filter: TraceTextFilter, after: TraceTextCursor | null, limit: number): Promise<TraceTextRow[]> {
  const w = where(filter);
  const conds = [w.sql];
  const params: Record<string, unknown> = { ...w.params, limit };
  if (after) {
    conds.push(`(ts_start > fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC') OR (ts_start = fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC') AND request_id > {after_id:String}))`);
    Object.assign(params, { after_ts: after.ts, after_id: after.request_id });
  }
  const res = await client.query({
    query: `SELECT request_id, toUnixTimestamp64Milli(ts_start) AS ts, nullIf(team, '') AS team, nullIf(key_id, '') AS key_id,
        nullIf(key_name, '') AS key_name, model_requested AS model, request_body, response_body
      FROM traces
      WHERE ${conds.join(' AND ')}
      ORDER BY ts_start, request_id
      LIMIT 1 BY request_id
      LIMIT {limit:UInt32}`,
    query_params: params,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  return res.json<TraceTextRow>();
}

/** How many distinct requests the range holds, and how many retained a request body. */
export async function countTraceTexts(client: ClickHouseClient, filter: TraceTextFilter): Promise<TraceTextCount> {
  const w = where(filter);
  const res = await client.query({
    query: `SELECT count() AS total, countIf(has_body) AS with_bodies
      FROM (SELECT request_id, any(request_body IS NOT NULL) AS has_body FROM traces WHERE ${w.sql} GROUP BY request_id)`,
    query_params: w.params,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  const [row] = await res.json<TraceTextCount>();
  return { total: Number(row?.total ?? 0), with_bodies: Number(row?.with_bodies ?? 0) };
}
