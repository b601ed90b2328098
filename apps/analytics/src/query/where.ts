import type { AnalyticsCaller } from '../auth/analytics-caller';
import type { Filters } from './params';

export type QueryParams = Record<string, string | number | string[]>;

export interface BuiltQuery {
  sql: string;
  params: QueryParams;
}

/** Which column each filter reads in a table (fixed names, never user text). */
export interface FilterColumns {
  ts: string;
  model: string;
  provider?: string;
  team: string;
  key_id: string;
  status?: string;
  error_type?: string;
  metadata?: string;
}

export const TRACE_COLUMNS: FilterColumns = {
  ts: 'ts_start',
  model: 'model_requested',
  provider: 'provider',
  team: 'team',
  key_id: 'key_id',
  status: 'status',
  error_type: 'error_type',
  metadata: 'metadata',
};

/**
 * The WHERE clause of every analytics query. Values are ClickHouse query parameters
 * ({name:Type}); column names come from FilterColumns. A team caller always gets
 * `team IN {caller_teams}`, whatever else was asked.
 */
export function whereClause(f: Filters, caller: AnalyticsCaller, cols: FilterColumns): BuiltQuery {
  const conds: string[] = [`${cols.ts} >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')`, `${cols.ts} < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`];
  const params: QueryParams = { from: f.from, to: f.to };
  if (caller.kind === 'team') {
    conds.push(`${cols.team} IN {caller_teams:Array(String)}`);
    params.caller_teams = [...caller.teams];
  }
  const eq = (col: string | undefined, name: string, value: string | undefined) => {
    if (value === undefined) return;
    if (!col) {
      conds.push('0');
      return;
    }
    conds.push(`${col} = {${name}:String}`);
    params[name] = value;
  };
  eq(cols.model, 'model', f.model);
  eq(cols.provider, 'provider', f.provider);
  eq(cols.team, 'team', f.team);
  eq(cols.key_id, 'key_id', f.key_id);
  eq(cols.error_type, 'error_type', f.error_type);
  if (f.status && cols.status) {
    if (f.status.kind === 'ok') conds.push(`${cols.status} < 400`);
    else if (f.status.kind === 'error') conds.push(`${cols.status} >= 400`);
    else if (f.status.kind === 'code') {
      conds.push(`${cols.status} = {status:UInt16}`);
      params.status = f.status.code;
    }
  }
  f.metadata.forEach(([k, v], i) => {
    if (!cols.metadata) {
      conds.push('0');
      return;
    }
    conds.push(`${cols.metadata}[{mk${i}:String}] = {mv${i}:String}`);
    params[`mk${i}`] = k;
    params[`mv${i}`] = v;
  });
  return { sql: conds.join(' AND '), params };
}
