import { Module } from '@nestjs/common';
import { JobsModule } from '@gatehouse/jobs/jobs.module';
import { PoliciesModule } from '@gatehouse/policies';
import { PoliciesController } from './policies/policies.controller';
import { PolicyRegistry } from './policies/policy-registry.service';
import { PolicyTestController } from './policies/policy-test.controller';
import { AsyncCheckWorker } from './workers/async-check.worker';

/** The guard app: owns guardrail policies (admin API, versions, publishing) and runs async guardrail checks. */
@Module({
  imports: [JobsModule, PoliciesModule],
  controllers: [PoliciesController, PolicyTestController],
  providers: [PolicyRegistry, AsyncCheckWorker],
  exports: [PolicyRegistry],
})
export class GuardModule {}
