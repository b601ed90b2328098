import { z } from 'zod';
import { defineJob } from './job';
import { PolicyEventSchema } from './policy';

/** ISO-8601 date-time (with its offset) or epoch milliseconds → epoch ms. */
const MAX_MS = 253402300799999;
const Instant = z.union([
  z.string().datetime({ offset: true, message: 'expected an ISO-8601 date-time such as 2026-11-30T12:00:00Z' }).transform((s) => Date.parse(s)).pipe(z.number().int().min(0).max(MAX_MS)),
  z.number().int().nonnegative().max(MAX_MS),
]);

const names = z.array(z.string().min(1).max(256)).max(100).default([]);

/**
 * POST /admin/policies/:id/backtest. `policy` is a draft body (nothing is saved); else `version`
 * names a stored version; else the latest stored version is backtested.
 */
export const BacktestRequestSchema = z.object({
  from: Instant,
  to: Instant,
  teams: names,
  models: names,
  policy: z.record(z.string(), z.unknown()).optional(),
  version: z.number().int().positive().optional(),
}).strict().superRefine((v, ctx) => {
  if (v.to <= v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  if (v.policy !== undefined && v.version !== undefined) ctx.addIssue({ code: 'custom', path: ['version'], message: 'give either policy (a draft) or version, not both' });
});
export type BacktestRequest = z.infer<typeof BacktestRequestSchema>;

/** The stored traffic a backtest reads. */
export const TraceTextFilterSchema = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  teams: z.array(z.string()).max(100),
  models: z.array(z.string()).max(100),
}).strict();

/** POST /internal/trace-texts (analytics, admin token): one page of stored traces with their bodies, ascending. */
export const TraceTextPageRequestSchema = z.object({
  filter: TraceTextFilterSchema,
  after: z.object({ ts: z.number().int().nonnegative(), request_id: z.string().min(1) }).strict().nullable().default(null),
  limit: z.number().int().min(1).max(5000),
}).strict();
export type TraceTextPageRequest = z.infer<typeof TraceTextPageRequestSchema>;

/** A backtest that runs as a job (ranges over backtest.job_threshold_rows). */
export const BacktestJobSchema = z.object({
  job_id: z.string().min(1),
  candidate: PolicyEventSchema,
  /** Whether the candidate is an unsaved draft. */
  draft: z.boolean(),
  /** The active (latest) version the candidate is compared with; null when the policy has none yet. */
  active: PolicyEventSchema.nullable(),
  filter: TraceTextFilterSchema,
});
export type BacktestJob = z.infer<typeof BacktestJobSchema>;

export const PolicyBacktestJob = defineJob('policy.backtest', BacktestJobSchema);
