import { z } from 'zod';
import { AlertTargetsSchema } from './alert';
import { defineTopic } from './topic';

export const BUDGET_PERIODS = ['day', 'month', 'total'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** A team's limits as every ingress replica holds them (null = no limit). Keys of the team pass these and their own. */
export const TeamRecordSchema = z.object({
  name: z.string().min(1).max(128),
  rpm: z.number().int().positive().nullable().default(null),
  tpm: z.number().int().positive().nullable().default(null),
  budget_usd: z.number().positive().nullable().default(null),
  budget_period: z.enum(BUDGET_PERIODS).default('month'),
  /** Where this team's budget thresholds (80 %, 100 %) and deny verdicts are alerted. */
  alerts: AlertTargetsSchema.default([]),
  updated_at: z.number().int().nonnegative(),
  source: z.enum(['config', 'admin']).default('admin'),
});
export type TeamRecord = z.infer<typeof TeamRecordSchema>;

export const TeamsTopic = defineTopic('gatehouse.teams.v1', TeamRecordSchema, true);
