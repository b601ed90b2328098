import { z } from 'zod';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { groupSelect } from './group-by';
import { parseFilters, parseWith, pick, type Filters } from './params';
import { whereClause, type BuiltQuery } from './where';

const text = z.string().trim().min(1).max(256);
const GuardrailFilterSchema = z.object({
  policy_id: text.optional(),
  check_type: text.optional(),
  action: z.enum(['deny', 'redact', 'flag']).optional(),
  group_by: z.enum(['day', 'hour']).optional(),
});

const BUCKETS = { day: "toStartOfDay(ts, 'UTC')", hour: "toStartOfHour(ts, 'UTC')" } as const;

export interface GuardrailsParams {
  filters: Filters;
  policyId?: string;
  checkType?: string;
  action?: 'deny' | 'redact' | 'flag';
  /** A time series: one row per bucket, policy, check and action. */
  groupBy?: 'day' | 'hour';
}

export function parseGuardrailsParams(query: Record<string, string>, now = Date.now()): GuardrailsParams {
  const g = parseWith(GuardrailFilterSchema, pick(query, ['policy_id', 'check_type', 'action', 'group_by']));
  const filters = parseFilters(query, now);
  return { filters, policyId: g.policy_id, checkType: g.check_type, action: g.action, groupBy: g.group_by };
}

/**
 * Verdicts by policy, check and action (and time bucket with group_by): how many, how many applied,
 * how many only monitored (a monitor-mode policy records what it would have done, applied=false),
 * how many requests.
 */
export function buildGuardrailsQuery(p: GuardrailsParams, caller: AnalyticsCaller, database: string): BuiltQuery {
  const where = whereClause(p.filters, caller, { ts: 'ts', model: 'model', team: 'team', key_id: 'key_id' });
  const conds = [where.sql];
  const params = { ...where.params };
  if (p.policyId !== undefined) {
    conds.push('policy_id = {policy_id:String}');
    params.policy_id = p.policyId;
  }
  if (p.checkType !== undefined) {
    conds.push('check_type = {check_type:String}');
    params.check_type = p.checkType;
  }
  if (p.action !== undefined) {
    conds.push('action = {action:String}');
    params.action = p.action;
  }
  const bucket = p.groupBy ? `${groupSelect(p.groupBy, BUCKETS[p.groupBy])} AS ${p.groupBy},` : '';
  const sql = `SELECT ${bucket} policy_id, check_type, action,
    count() AS verdicts,
    countIf(applied) AS applied,
    countIf(mode = 'monitor') AS monitored,
    countIf(outcome = 'error') AS errors,
    uniqExact(request_id) AS requests,
    max(policy_version) AS latest_policy_version
  FROM ${database}.verdicts
  WHERE ${conds.join(' AND ')}
  GROUP BY ${p.groupBy ? `${p.groupBy}, ` : ''}policy_id, check_type, action
  ORDER BY ${p.groupBy ? `${p.groupBy} ASC, ` : ''}verdicts DESC, policy_id, check_type, action
  LIMIT 10000`;
  return { sql, params };
}
