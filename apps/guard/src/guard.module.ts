import { Module } from '@nestjs/common';
import { AuthModule } from '@gatehouse/auth';
import { JobsModule } from '@gatehouse/jobs';
import { PoliciesModule } from '@gatehouse/policies';
import { AlertsModule } from './alerts/alerts.module';
import { AsyncChecksModule } from './async-checks.module';
import { BacktestController } from './backtest/backtest.controller';
import { BacktestService } from './backtest/backtest.service';
import { JobsController } from './backtest/jobs.controller';
import { TraceTextSourceModule } from './backtest/trace-text-source';
import { PoliciesController } from './policies/policies.controller';
import { PolicyHistory } from './policies/policy-history';
import { PolicyHistoryController } from './policies/policy-history.controller';
import { PolicyTestController } from './policies/policy-test.controller';

/** The guard app: owns guardrail policies (admin API, versions and their history, publishing, backtests and their jobs), runs async guardrail checks and delivers alerts. */
@Module({
  imports: [AuthModule, AsyncChecksModule, PoliciesModule, JobsModule, TraceTextSourceModule, AlertsModule],
  controllers: [PoliciesController, PolicyHistoryController, PolicyTestController, BacktestController, JobsController],
  providers: [PolicyHistory, BacktestService],
})
export class GuardModule {}
