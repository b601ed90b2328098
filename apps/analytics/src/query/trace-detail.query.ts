import { z } from 'zod';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { parseWith } from './params';
import { TRACE_ROW_COLUMNS } from '../rows/rows';
import type { BuiltQuery, QueryParams } from './where';

export const parseRequestId = (id: string): string =>
  parseWith(z.object({ request_id: z.string().min(1).max(256) }), { request_id: id }).request_id;

/** The stored traces row, every column (traceFromRow turns it back into the trace); a team caller only finds its own team's. */
export function buildTraceDetailQuery(requestId: string, caller: AnalyticsCaller, database: string): BuiltQuery {
  const params: QueryParams = { request_id: requestId };
  let team = '';
  if (caller.kind === 'team') {
    team = ' AND team IN {caller_teams:Array(String)}';
    params.caller_teams = [...caller.teams];
  }
  const sql = `SELECT ${TRACE_ROW_COLUMNS.join(', ')}
  FROM ${database}.traces
  WHERE request_id = {request_id:String}${team}
  LIMIT 1`;
  return { sql, params };
}

export function buildTraceVerdictsQuery(requestId: string, caller: AnalyticsCaller, database: string): BuiltQuery {
  const params: QueryParams = { request_id: requestId };
  let team = '';
  if (caller.kind === 'team') {
    team = ' AND team IN {caller_teams:Array(String)}';
    params.caller_teams = [...caller.teams];
  }
  const columns = 'verdict_id, policy_id, policy_version, check_index, check_type, stage, action, outcome, mode, applied, score, details, async';
  const sql = `SELECT ${columns}, toUnixTimestamp64Milli(ts) AS ts
  FROM (
    SELECT ${columns}, ts
    FROM ${database}.verdicts
    WHERE request_id = {request_id:String}${team}
    ORDER BY ts, verdict_id
    LIMIT 1 BY verdict_id
  )
  ORDER BY ts, verdict_id`;
  return { sql, params };
}

/** The team of a stored trace (the authorization scope of its detail route). */
export function buildTraceTeamQuery(requestId: string, database: string): BuiltQuery {
  return { sql: `SELECT team FROM ${database}.traces WHERE request_id = {request_id:String} LIMIT 1`, params: { request_id: requestId } };
}
