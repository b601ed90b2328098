import { z } from 'zod';
import { StageSchema } from '@gatehouse/contracts/verdict';
import type { DeferredCheck } from '@gatehouse/guardrails/evaluation';
import { defineJob } from './job-queue.port';

/**
 * An `async: true` webhook check the ingress deferred, for the guard workers. The webhook's
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
  url: z.string().url(),
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

export function asyncCheckJob(d: DeferredCheck, now = Date.now()): AsyncCheckJob {
  return {
    request_id: d.requestId,
    policy_id: d.policyId,
    policy_version: d.policyVersion,
    check_index: d.checkIndex,
    mode: d.mode,
    stage: d.stage,
    url: d.config.url,
    timeout_ms: d.config.timeout_ms,
    enqueued_at: now,
    payload: { ...d.payload },
  };
}

/** The deferred check to run, with the webhook headers the worker resolved. */
export function deferredCheckOf(job: AsyncCheckJob, headers: Record<string, string>): DeferredCheck {
  return {
    requestId: job.request_id,
    policyId: job.policy_id,
    policyVersion: job.policy_version,
    checkIndex: job.check_index,
    mode: job.mode,
    stage: job.stage,
    config: { type: 'webhook', stage: job.stage, action: 'flag', url: job.url, timeout_ms: job.timeout_ms, async: true, headers },
    payload: { ...job.payload },
  };
}
