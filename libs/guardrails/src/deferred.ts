import { randomUUID } from 'node:crypto';
import type { AsyncCheckJob, Verdict } from '@gatehouse/contracts';
import type { DeferredCheck } from './evaluation';
import { callWebhook } from './webhook';

/**
 * Runs a deferred (`async: true`) webhook for the guard workers. Async checks can only flag, so
 * the verdict's action is `flag` whatever the policy says; a pass returns null (nothing to emit),
 * a failure or an error (timeout, bad answer) returns the verdict to publish on gatehouse.verdicts.v1.
 */
export async function runDeferredCheck(d: DeferredCheck, now: () => number = Date.now): Promise<Verdict | null> {
  let outcome: 'fail' | 'error' = 'fail';
  let score: number | null = null;
  let details: string[];
  try {
    const v = await callWebhook(d.config, d.payload);
    if (v.pass) return null;
    score = v.score;
    details = [...v.details];
  } catch (err) {
    outcome = 'error';
    details = [`error:${(err as Error).message}`];
  }
  return {
    verdict_id: randomUUID(),
    request_id: d.requestId,
    ts: now(),
    policy_id: d.policyId,
    policy_version: d.policyVersion,
    check_index: d.checkIndex,
    check_type: 'webhook',
    stage: d.stage,
    action: 'flag',
    outcome,
    mode: d.mode,
    applied: d.mode === 'enforce' && outcome === 'fail',
    score,
    details,
    async: true,
    key_id: d.payload.key_id,
    team: d.payload.team,
    model: d.payload.model,
  };
}

/** A deferred check as the job the ingress hands to the guard workers (the webhook's headers stay out of the queue). */
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
