import { Module } from '@nestjs/common';
import { PoliciesModule } from '@gatehouse/policies';
import { AsyncChecksModule } from './async-checks.module';
import { PoliciesController } from './policies/policies.controller';
import { PolicyHistory } from './policies/policy-history';
import { PolicyHistoryController } from './policies/policy-history.controller';
import { PolicyTestController } from './policies/policy-test.controller';

/** The guard app: owns guardrail policies (admin API, versions and their history, publishing) and runs async guardrail checks. */
@Module({
  imports: [AsyncChecksModule, PoliciesModule],
  controllers: [PoliciesController, PolicyHistoryController, PolicyTestController],
  providers: [PolicyHistory],
})
export class GuardModule {}
