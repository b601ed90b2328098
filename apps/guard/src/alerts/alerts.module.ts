import { Module } from '@nestjs/common';
import { JobsModule } from '@gatehouse/jobs';
import { AlertDeliveries } from './alert-delivery';
import { AlertTargetsModule } from './alert-targets';
import { DenyAlerts } from './deny-alerts';
import { AlertsController } from './failed-alerts';

/**
 * Alerts in the guard: deny verdicts become alerts (rate-limited per policy); every alert on
 * gatehouse.alerts.v1 (deny, budget thresholds from the ingress, breaker openings) is delivered to
 * its targets by retried jobs; undeliverable ones are listed and can be redelivered.
 */
@Module({
  imports: [JobsModule, AlertTargetsModule],
  controllers: [AlertsController],
  providers: [DenyAlerts, AlertDeliveries],
})
export class AlertsModule {}
