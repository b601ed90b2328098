import { z } from 'zod';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { parseFilters, parseWith, pick, type Filters } from './params';
import { whereClause, type BuiltQuery } from './where';

const text = z.string().trim().min(1).max(256);
const GuardrailFilterSchema = z.object({
  policy_id: text.optional(),
  check_type: text.optional(),
  action: z.enum(['deny', 'redact', 'flag']).optional(),
});

export interface GuardrailsParams {
  filters: Filters;
  policyId?: string;
  checkType?: string;
  action?: 'deny' | 'redact' | 'flag';
}

export function parseGuardrailsParams(query: Record<string, string>, now = Date.now()): GuardrailsParams {
  const g = parseWith(GuardrailFilterSchema, pick(query, ['policy_id', 'check_type', 'action']));
  const filters = parseFilters(query, now);
  return { filters, policyId: g.policy_id, checkType: g.check_type, action: g.action };
}

/** Verdicts by policy, check and action: how many, how many applied (not monitor-only), how many requests. */
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
  const sql = `SELECT policy_id, check_type, action,
    count() AS verdicts,
    countIf(applied) AS applied,
    countIf(outcome = 'error') AS errors,
    uniqExact(request_id) AS requests,
    max(policy_version) AS latest_policy_version
  FROM ${database}.verdicts
  WHERE ${conds.join(' AND ')}
  GROUP BY policy_id, check_type, action
  ORDER BY verdicts DESC, policy_id, check_type, action
  LIMIT 10000`;
  return { sql, params };
}
