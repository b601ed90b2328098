import { GatewayError } from '@gatehouse/contracts';
import type { LimitReason } from './counters.port';
import type { PeriodWindow } from './periods';

export interface RejectedScope {
  kind: 'key' | 'team';
  /** Key name or team name, for the message. */
  name: string;
  reason: LimitReason;
  limit: number;
  retryAfterMs: number | null;
  spentUsd: number;
  period: PeriodWindow | null;
  periodName: string;
}

const retryAfter = (ms: number | null): Record<string, string> => (ms === null ? {} : { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) });

/** 429 in the caller's format: rate_limit_exceeded (rpm, tpm) or budget_exceeded naming the key or team, the budget and the period end. */
export function limitError(r: RejectedScope, headers: Record<string, string> | null): GatewayError {
  const who = `${r.kind} "${r.name}"`;
  if (r.reason === 'budget') {
    const end = r.period?.end ? `; the ${r.periodName} period ends ${new Date(r.period.end).toISOString()}` : ' (total budget: it does not reset)';
    const retry = r.period?.end ? r.retryAfterMs : null;
    return new GatewayError(429, 'budget_exceeded', `budget of ${who} exhausted: spent $${r.spentUsd.toFixed(6)} of $${r.limit} (${r.periodName})${end}`, {
      code: 'budget_exceeded',
      headers: { ...headers, ...retryAfter(retry) },
    });
  }
  const what = r.reason === 'rpm' ? `${r.limit} requests per minute` : `${r.limit} tokens per minute`;
  const when = r.retryAfterMs === null ? 'this request alone is larger than the limit' : `retry after ${Math.max(1, Math.ceil(r.retryAfterMs / 1000))} s`;
  return new GatewayError(429, 'rate_limit_exceeded', `rate limit of ${who} reached: ${what} (${when})`, {
    code: 'rate_limit_exceeded',
    headers: { ...headers, ...retryAfter(r.retryAfterMs) },
  });
}

/** limits.on_redis_error: fail_closed while the counters do not answer. */
export const limitsUnavailable = () =>
  new GatewayError(503, 'api_error', 'rate limits and budgets cannot be checked right now (limits.on_redis_error: fail_closed); retry shortly', {
    code: 'limits_unavailable',
    headers: { 'retry-after': '1' },
  });
