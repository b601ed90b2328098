import { Inject, Module } from '@nestjs/common';
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

/** Inline guardrails of the ingress: policies from gatehouse.policies.v1, verdicts to gatehouse.verdicts.v1, async checks to the guard workers (job queue). */
@Module({
  imports: [JobsModule, PoliciesModule],
  providers: [
    PolicyCache,
    { provide: VerdictSink, useFactory: (bus: Bus, jobs: JobQueue, log: Logger) => new VerdictSink(bus, jobs, log), inject: [BUS, JOB_QUEUE, LOGGER] },
    { provide: INPUT_GUARD, useFactory: (p: PolicyCache, s: VerdictSink) => new PolicyInputGuard(p, s), inject: [PolicyCache, VerdictSink] },
    { provide: OUTPUT_GUARD, useFactory: (p: PolicyCache, s: VerdictSink) => new PolicyOutputGuard(p, s), inject: [PolicyCache, VerdictSink] },
  ],
  exports: [INPUT_GUARD, OUTPUT_GUARD, PolicyCache],
})
export class GuardrailsModule {
  constructor(@Inject(RUNTIME) runtime: Runtime) {
    configureJudge(runtime.config.guardrails.judge);
  }
}
