import { Module } from '@nestjs/common';
import { AsyncChecksModule } from './async-checks.module';
import { PoliciesController } from './policies/policies.controller';
import { PolicyTestController } from './policies/policy-test.controller';

/** The guard app: owns guardrail policies (admin API, versions, publishing) and runs async guardrail checks. */
@Module({
  imports: [AsyncChecksModule],
  controllers: [PoliciesController, PolicyTestController],
})
export class GuardModule {}
