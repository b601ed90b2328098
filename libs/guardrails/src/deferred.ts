import { createHash } from 'node:crypto';
import type { AsyncCheckJob, Verdict } from '@gatehouse/contracts';
import type { DeferredCheck } from './evaluation';
import { callJudge } from './judge';
import { callWebhook } from './webhook';

/**
 * The async verdict's id, fixed by what it judges: a job run twice (its guard died mid-run) yields
 * the same id, and the analytics ingest stores it once.
 */
function asyncVerdictId(d: DeferredCheck): string {
  const h = createHash('sha256').update(`${d.requestId}\u0000${d.policyId}\u0000${d.policyVersion}\u0000${d.checkIndex}\u0000${d.stage}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Runs a deferred (`async: true`) webhook or LLM judge for the guard workers. Async checks can only flag, so
 * the verdict's action is `flag` whatever the policy says; a pass returns null (nothing to emit),
 * a failure or an error (timeout, bad answer) returns the verdict to publish on gatehouse.verdicts.v1.
 */
export async function runDeferredCheck(d: DeferredCheck, now: () => number = Date.now): Promise<Verdict | null> {
  let outcome: 'fail' | 'error' = 'fail';
  let score: number | null = null;
  let details: string[];
  try {
    const v = d.config.type === 'llm_judge' ? await callJudge(d.config, d.payload.text, d.stage, d.payload.team) : await callWebhook(d.config, d.payload);
    if (v.pass) return null;
    score = v.score;
    details = [...v.details];
  } catch (err) {
    outcome = 'error';
    details = [`error:${(err as Error).message}`];
  }
  return {
    verdict_id: asyncVerdictId(d),
    request_id: d.requestId,
    ts: now(),
    policy_id: d.policyId,
    policy_version: d.policyVersion,
    check_index: d.checkIndex,
    check_type: d.config.type,
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
    check_type: d.config.type,
    ...(d.config.type === 'webhook' ? { url: d.config.url } : { judge: { model: d.config.model, rubric: d.config.rubric, threshold: d.config.threshold } }),
    timeout_ms: d.config.timeout_ms,
    enqueued_at: now,
    payload: { ...d.payload },
  };
}

/** The deferred check to run, with the webhook headers the worker resolved. */
export function deferredCheckOf(job: AsyncCheckJob, headers: Record<string, string>): DeferredCheck {
  const config: DeferredCheck['config'] = job.check_type === 'llm_judge' && job.judge
    ? { type: 'llm_judge', stage: job.stage, action: 'flag', ...job.judge, timeout_ms: job.timeout_ms, async: true }
    : { type: 'webhook', stage: job.stage, action: 'flag', url: job.url ?? 'http://invalid.invalid/', timeout_ms: job.timeout_ms, async: true, headers };
  return {
    requestId: job.request_id,
    policyId: job.policy_id,
    policyVersion: job.policy_version,
    checkIndex: job.check_index,
    mode: job.mode,
    stage: job.stage,
    config,
    payload: { ...job.payload },
  };
}
