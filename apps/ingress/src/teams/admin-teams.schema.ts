import { z } from 'zod';
import { AlertTargetsSchema, BUDGET_PERIODS } from '@gatehouse/contracts';

/** PUT /admin/teams/:team replaces the team's limits; an omitted limit is none. A budget needs its period. */
export const PutTeamSchema = z
  .object({
    rpm: z.number().int().positive().nullable().default(null),
    tpm: z.number().int().positive().nullable().default(null),
    budget_usd: z.number().positive().nullable().default(null),
    budget_period: z.enum(BUDGET_PERIODS).optional(),
    /** Where the team's budget thresholds and deny verdicts are alerted. */
    alerts: AlertTargetsSchema.default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.budget_usd !== null && v.budget_period === undefined) {
      ctx.addIssue({ code: 'custom', path: ['budget_period'], message: 'required with budget_usd (day, month or total)' });
    }
  });

export const TeamNameSchema = z.string().min(1).max(128);
