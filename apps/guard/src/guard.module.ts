import { Module } from '@nestjs/common';
import { PoliciesController } from './policies/policies.controller';
import { PolicyRegistry } from './policies/policy-registry.service';
import { PolicyTestController } from './policies/policy-test.controller';

/** The guard app: owns guardrail policies (admin API, versions, publishing). */
@Module({
  controllers: [PoliciesController, PolicyTestController],
  providers: [PolicyRegistry],
  exports: [PolicyRegistry],
})
export class GuardModule {}
