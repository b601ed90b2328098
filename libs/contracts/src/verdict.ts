import { z } from 'zod';
import { defineTopic } from './topic';

export const StageSchema = z.enum(['input', 'output']);
export type Stage = z.infer<typeof StageSchema>;
export const ActionSchema = z.enum(['deny', 'redact', 'flag']);
export type GuardAction = z.infer<typeof ActionSchema>;

/** One verdict per (check, stage) that did not pass, and every async check result. */
export const VerdictSchema = z.object({
  verdict_id: z.string().min(1),
  request_id: z.string().min(1),
  ts: z.number().int().nonnegative(),
  policy_id: z.string(),
  policy_version: z.number().int().positive().max(4294967295),
  check_index: z.number().int().nonnegative().max(65535),
  check_type: z.string(),
  stage: StageSchema,
  action: ActionSchema,
  /** fail: the check matched; error: the check threw or timed out. */
  outcome: z.enum(['fail', 'error']),
  mode: z.enum(['enforce', 'monitor']),
  /** What was actually done: a monitor-mode deny is recorded with applied=false. */
  applied: z.boolean(),
  score: z.number().nullable(),
  /** Names of what matched (entity types, rule ids), never the matched text. */
  details: z.array(z.string()),
  async: z.boolean(),
  key_id: z.string().nullable(),
  team: z.string().nullable(),
  model: z.string().nullable(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const VerdictsTopic = defineTopic('gatehouse.verdicts.v1', VerdictSchema);
