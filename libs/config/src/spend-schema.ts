import { z } from 'zod';
import { AlertTargetsSchema, BUDGET_PERIODS } from '@gatehouse/contracts';

/** rpm / tpm / budget of a key or a team in the config file. A budget needs its period (day, month or total). */
export const limitFields = {
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  budget_usd: z.number().positive().optional(),
  budget_period: z.enum(BUDGET_PERIODS).optional(),
};

export const TeamConfigSchema = z.object({ ...limitFields, alerts: AlertTargetsSchema.default([]) }).strict();
export type TeamConfig = z.infer<typeof TeamConfigSchema>;

/** What the limiter does when Redis does not answer: serve without limits (fail_open) or answer 503 (fail_closed). */
export const SpendLimitsSchema = {
  on_redis_error: z.enum(['fail_open', 'fail_closed']).default('fail_open'),
  /** Per Redis command; a limiter call never waits longer. */
  redis_timeout_ms: z.number().int().positive().max(10_000).default(250),
  /**
   * Quota leases (libs/spend/src/lease-book.ts): a replica reserves up to 1 % of a limit per call and
   * admits from it without a call for the rest of the second. false: one counters call per request.
   */
  leases: z.boolean().default(true),
};

type Issue = { code: 'custom'; path: (string | number)[]; message: string };

/** A budget without its period is an error naming the field. */
export function budgetIssues(v: { budget_usd?: number; budget_period?: string }, path: (string | number)[]): Issue[] {
  if (v.budget_usd !== undefined && v.budget_period === undefined) {
    return [{ code: 'custom', path: [...path, 'budget_period'], message: 'required with budget_usd (day, month or total)' }];
  }
  return [];
}
