import { Inject, Module } from '@nestjs/common';
import { configureJudge } from '@gatehouse/guardrails';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { JobsModule } from '@gatehouse/jobs';
import { PoliciesModule } from '@gatehouse/policies';
import { PolicyRegistry } from './policies/policy-registry.service';
import { VersionCounterModule } from './policies/version-counter.module';
import { AsyncCheckWorker } from './workers/async-check.worker';

/**
 * The guard's policy registry and the async guardrail checks that read it: part of the guard app,
 * and what a standalone HTTP worker runs for its own requests.
 */
@Module({
  imports: [JobsModule, PoliciesModule, VersionCounterModule],
  providers: [PolicyRegistry, AsyncCheckWorker],
  exports: [PolicyRegistry],
})
export class AsyncChecksModule {
  constructor(@Inject(RUNTIME) runtime: Runtime) {
    configureJudge(runtime.config.guardrails.judge);
  }
}
