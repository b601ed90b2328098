import type { Bus } from '@gatehouse/bus';
import { VerdictsTopic, type Verdict, GuardrailAsyncCheckJob } from '@gatehouse/contracts';
import { type DeferredCheck, asyncCheckJob } from '@gatehouse/guardrails';
import type { JobQueue } from '@gatehouse/jobs';
import { type Logger, counter } from '@gatehouse/observability';

const deferredFailures = counter('gatehouse_guardrails_deferred_errors_total', 'Async guardrail checks that could not be handed to the guard workers');

/**
 * Publishes verdicts to gatehouse.verdicts.v1 and hands `async: true` checks to the guard workers
 * through the job queue; neither waits on the request path nor fails the request.
 */
export class VerdictSink {
  constructor(
    private readonly bus: Bus,
    private readonly jobs: JobQueue,
    private readonly log: Logger,
  ) {}

  publish(verdicts: readonly Verdict[], deferred: readonly DeferredCheck[]): void {
    for (const v of verdicts) this.bus.publish(VerdictsTopic, v.request_id, v);
    for (const d of deferred) {
      this.jobs.enqueue(GuardrailAsyncCheckJob, asyncCheckJob(d)).catch((err: unknown) => {
        deferredFailures.inc();
        this.log.warn({ err: (err as Error)?.message, policy: d.policyId, request_id: d.requestId }, 'async guardrail check not enqueued');
      });
    }
  }
}
