import { z } from 'zod';
import type { ZodType } from 'zod';
import { StageSchema } from './verdict';

/** A named kind of job and the zod schema of its payload (checked on enqueue and again before the handler runs). */
export interface JobDef<T> {
  readonly name: string;
  readonly schema: ZodType<T>;
}

export function defineJob<T>(name: string, schema: ZodType<T>): JobDef<T> {
  return { name, schema };
}

/**
 * An `async: true` webhook or llm_judge check the ingress deferred, for the guard workers. The webhook's
 * configured headers (often credentials) are not copied into the queue: the worker takes them from
 * the policy it holds (see headersFor in apps/guard/src/workers).
 */
export const AsyncCheckJobSchema = z.object({
  request_id: z.string().min(1),
  policy_id: z.string().min(1),
  policy_version: z.number().int().positive(),
  check_index: z.number().int().nonnegative(),
  mode: z.enum(['enforce', 'monitor']),
  stage: StageSchema,
  /** The deferred check's type (jobs queued before llm_judge existed are webhooks). */
  check_type: z.enum(['webhook', 'llm_judge']).default('webhook'),
  /** The webhook's URL (llm_judge: the judge endpoint of the process that runs the job is used). */
  url: z.string().url().optional(),
  /** The llm_judge check's settings. */
  judge: z.object({ model: z.string().min(1), rubric: z.string().min(1), threshold: z.number().min(0).max(1) }).optional(),
  timeout_ms: z.number().int().positive(),
  enqueued_at: z.number().int().nonnegative(),
  payload: z.object({
    stage: StageSchema,
    text: z.string(),
    model: z.string(),
    team: z.string().nullable(),
    key_id: z.string().nullable(),
  }),
});
export type AsyncCheckJob = z.infer<typeof AsyncCheckJobSchema>;

export const GuardrailAsyncCheckJob = defineJob('guardrail.async-check', AsyncCheckJobSchema);
