import { z } from 'zod';
import { invalidRequest } from '@gatehouse/contracts';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { AUDIT_ROW_COLUMNS } from '../rows/audit-row';
import { parseWith, TimeParam } from './params';
import { decodeCursor, type TraceCursor } from './traces.query';
import type { BuiltQuery, QueryParams } from './where';

const DAY_MS = 24 * 3600 * 1000;
const text = z.string().trim().min(1).max(256);

const AuditQuerySchema = z
  .object({
    from: TimeParam.optional(),
    to: TimeParam.optional(),
    actor: text.optional(),
    action: text.optional(),
    team: text.optional(),
    limit: z.string().regex(/^\d{1,4}$/, 'expected an integer from 1 to 1000').transform(Number).pipe(z.number().int().min(1).max(1000)).optional(),
    cursor: z.string().max(1024).optional(),
  })
  .strict();

export interface AuditParams {
  from: number;
  to: number;
  actor?: string;
  action?: string;
  team?: string;
  limit: number;
  cursor: TraceCursor | null;
}

export function parseAuditParams(query: Record<string, string>, now = Date.now()): AuditParams {
  const q = parseWith(AuditQuerySchema, query);
  const to = q.to ?? now;
  const from = q.from ?? to - DAY_MS;
  if (from >= to) throw invalidRequest('from: must be before to', 'from');
  return { from, to, actor: q.actor, action: q.action, team: q.team, limit: q.limit ?? 50, cursor: q.cursor ? decodeCursor(q.cursor) : null };
}

/** One page of audit events, newest first (limit + 1 rows fetched to know whether a next page exists); a team caller sees the events of its teams only. */
export function buildAuditQuery(p: AuditParams, caller: AnalyticsCaller, database: string): BuiltQuery {
  const conds = [`ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')`, `ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`];
  const params: QueryParams = { from: p.from, to: p.to, limit: p.limit + 1 };
  if (caller.kind === 'team') {
    conds.push('hasAny(teams, {caller_teams:Array(String)})');
    params.caller_teams = [...caller.teams];
  }
  if (p.actor !== undefined) {
    conds.push('actor = {actor:String}');
    params.actor = p.actor;
  }
  if (p.action !== undefined) {
    conds.push('action = {action:String}');
    params.action = p.action;
  }
  if (p.team !== undefined) {
    conds.push('has(teams, {team:String})');
    params.team = p.team;
  }
  if (p.cursor) {
    conds.push(`(ts < fromUnixTimestamp64Milli({cursor_t:Int64}, 'UTC') OR (ts = fromUnixTimestamp64Milli({cursor_t:Int64}, 'UTC') AND event_id < {cursor_id:String}))`);
    Object.assign(params, { cursor_t: p.cursor.t, cursor_id: p.cursor.id });
  }
  const sql = `SELECT ${AUDIT_ROW_COLUMNS.join(', ')}
  FROM ${database}.audit
  WHERE ${conds.join(' AND ')}
  ORDER BY ts DESC, event_id DESC
  LIMIT 1 BY event_id
  LIMIT {limit:UInt32}`;
  return { sql, params };
}
