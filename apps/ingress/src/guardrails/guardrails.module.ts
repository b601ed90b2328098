import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { JobsModule, JOB_QUEUE, type JobQueue } from '@gatehouse/jobs';
import { PoliciesModule } from '@gatehouse/policies';
import { LOGGER, RUNTIME, type Runtime } from '@gatehouse/runtime';
import { configureJudge } from '@gatehouse/guardrails';
import type { Logger } from '@gatehouse/observability';
import { INPUT_GUARD, OUTPUT_GUARD } from './guard-tokens';
import { PolicyCache } from './policy-cache.service';
import { PolicyInputGuard } from './policy-input-guard';
import { PolicyOutputGuard } from './policy-output-guard';
import { VerdictSink } from './verdict-sink';
import { DeferredCheckOutbox } from './deferred-check-outbox';

/** Inline guardrails of the ingress: policies from gatehouse.policies.v1, verdicts to gatehouse.verdicts.v1, async checks to the guard workers (job queue). */
@Module({
  imports: [JobsModule, PoliciesModule],
  providers: [
    PolicyCache,
    { provide: DeferredCheckOutbox, useFactory: (jobs: JobQueue, log: Logger) => new DeferredCheckOutbox(jobs, log), inject: [JOB_QUEUE, LOGGER] },
    { provide: VerdictSink, useFactory: (bus: Bus, outbox: DeferredCheckOutbox) => new VerdictSink(bus, outbox), inject: [BUS, DeferredCheckOutbox] },
    { provide: INPUT_GUARD, useFactory: (p: PolicyCache, s: VerdictSink) => new PolicyInputGuard(p, s), inject: [PolicyCache, VerdictSink] },
    { provide: OUTPUT_GUARD, useFactory: (p: PolicyCache, s: VerdictSink) => new PolicyOutputGuard(p, s), inject: [PolicyCache, VerdictSink] },
  ],
  exports: [INPUT_GUARD, OUTPUT_GUARD, PolicyCache],
})
export class GuardrailsModule implements OnApplicationShutdown {
  constructor(
    @Inject(RUNTIME) runtime: Runtime,
    private readonly outbox: DeferredCheckOutbox,
  ) {
    configureJudge(runtime.config.guardrails.judge);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outbox.close();
  }
}
