import type { Bus } from '@gatehouse/bus/bus.port';
import { VerdictsTopic, type Verdict } from '@gatehouse/contracts/verdict';
import type { DeferredCheck } from '@gatehouse/guardrails/evaluation';
import { runDeferredCheck } from '@gatehouse/guardrails/deferred';
import type { Logger } from '@gatehouse/observability/logger';
import { counter } from '@gatehouse/observability/metrics';

const deferredFailures = counter('gatehouse_guardrails_deferred_errors_total', 'Async guardrail checks that could not run');

/**
 * Publishes verdicts to gatehouse.verdicts.v1 and runs `async: true` checks off the request path
 * (after the response), publishing their verdicts when they flag.
 */
export class VerdictSink {
  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
  ) {}

  publish(verdicts: readonly Verdict[], deferred: readonly DeferredCheck[]): void {
    for (const v of verdicts) this.bus.publish(VerdictsTopic, v.request_id, v);
    for (const d of deferred) {
      setImmediate(() => {
        runDeferredCheck(d)
          .then((v) => v && this.bus.publish(VerdictsTopic, v.request_id, v))
          .catch((err: unknown) => {
            deferredFailures.inc();
            this.log.warn({ err, policy: d.policyId }, 'async guardrail check failed');
          });
      });
    }
  }
}
