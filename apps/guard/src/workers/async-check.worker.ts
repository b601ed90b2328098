import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { VerdictsTopic, GuardrailAsyncCheckJob, type AsyncCheckJob } from '@gatehouse/contracts';
import { deferredCheckOf, runDeferredCheck } from '@gatehouse/guardrails';
import { JOB_QUEUE, type JobQueue } from '@gatehouse/jobs';
import { counter, histogram } from '@gatehouse/observability';
import { PolicyRegistry } from '../policies/policy-registry.service';
import { headersFor } from './webhook-headers';

/** Webhook calls in flight per guard process; each waits on the network, so many may overlap. */
export const ASYNC_CHECK_CONCURRENCY = 32;
/** A check's claim lapses this long after its guard died; another guard (or the restarted one) then runs it again. */
export const ASYNC_CHECK_LOCK_MS = 5_000;

const checksRun = counter('gatehouse_guardrails_async_checks_total', 'Async guardrail checks run by guard workers, by result', ['result']);
const queueDelay = histogram('gatehouse_guardrails_async_check_delay_seconds', 'From enqueue by the ingress to the start of the check', [], [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30]);

/**
 * Runs `async: true` guardrail checks off the request path: each job calls the policy's webhook
 * and, when it fails or errors, publishes a flag verdict (async=true) to gatehouse.verdicts.v1.
 */
@Injectable()
export class AsyncCheckWorker implements OnApplicationBootstrap {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(BUS) private readonly bus: Bus,
    private readonly policies: PolicyRegistry,
  ) {}

  /** After every module's init: the policy registry has replayed the topic, so webhook headers resolve. */
  onApplicationBootstrap(): void {
    this.queue.process(GuardrailAsyncCheckJob, (job) => this.run(job), { concurrency: ASYNC_CHECK_CONCURRENCY, lockMs: ASYNC_CHECK_LOCK_MS });
  }

  async run(job: AsyncCheckJob): Promise<void> {
    queueDelay.observe(Math.max(0, Date.now() - job.enqueued_at) / 1000);
    const verdict = await runDeferredCheck(deferredCheckOf(job, headersFor(this.policies.get(job.policy_id), job)));
    checksRun.inc({ result: verdict === null ? 'pass' : verdict.outcome });
    if (verdict) this.bus.publish(VerdictsTopic, verdict.request_id, verdict);
  }
}

