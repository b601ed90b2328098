import type { Bus } from '@gatehouse/bus';
import { VerdictsTopic, type Verdict } from '@gatehouse/contracts';
import { type DeferredCheck, asyncCheckJob } from '@gatehouse/guardrails';
import type { DeferredCheckOutbox } from './deferred-check-outbox';

/**
 * Publishes verdicts to gatehouse.verdicts.v1 and hands `async: true` checks to the guard workers
 * through the job queue (the outbox holds them while the queue is away); neither waits on the
 * request path nor fails the request.
 */
export class VerdictSink {
  constructor(
    private readonly bus: Bus,
    private readonly outbox: DeferredCheckOutbox,
  ) {}

  publish(verdicts: readonly Verdict[], deferred: readonly DeferredCheck[]): void {
    for (const v of verdicts) this.bus.publish(VerdictsTopic, v.request_id, v);
    for (const d of deferred) this.outbox.send(asyncCheckJob(d));
  }
}
