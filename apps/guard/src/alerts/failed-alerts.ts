import { Controller, Get, HttpCode, Inject, Injectable, Module, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { BUS, type Bus, CompactedView } from '@gatehouse/bus';
import { AlertFailuresTopic, type AlertFailure } from '@gatehouse/contracts';
import { AdminGuard, ReadinessRegistry, ViewModule } from '@gatehouse/runtime';
import { AlertDeliveries } from './alert-delivery';
import { maskedUrl } from './alert-text';

/** Deliveries that failed every attempt, by delivery id (gatehouse.alert-failures.v1). */
@Injectable()
export class FailedAlerts extends CompactedView<AlertFailure> {
  constructor() {
    super(AlertFailuresTopic);
  }
}

/** GET /admin/alerts/failed: undeliverable alerts (target URL masked); POST /admin/alerts/:id/retry queues one again. */
@Controller('admin/alerts')
@UseGuards(AdminGuard)
export class AlertsController {
  constructor(
    private readonly failures: FailedAlerts,
    private readonly deliveries: AlertDeliveries,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  @Get('failed')
  list() {
    const data = this.failures.all().sort((a, b) => b.failed_at - a.failed_at).map((f) => ({
      id: f.delivery_id,
      target: { type: f.target.type, url: maskedUrl(f.target.url) },
      alert: f.alert,
      attempts: f.attempts,
      last_error: f.last_error,
      failed_at: f.failed_at,
    }));
    return { data };
  }

  /** Queues the delivery again (all its attempts); it leaves the failed list, and comes back if every attempt fails again. */
  @Post(':id/retry')
  @HttpCode(202)
  async retry(@Param('id') id: string) {
    const f = this.failures.get(id);
    if (!f) throw new NotFoundException({ error: { message: `no failed alert delivery with id "${id.slice(0, 80)}"`, param: 'id' } });
    const { failed_at: _f, attempts: _a, last_error: _e, ...job } = f;
    await this.deliveries.enqueue({ ...job, enqueued_at: Date.now() }, `${id}-r${Date.now()}`);
    this.failures.apply(id, null);
    this.bus.publish(AlertFailuresTopic, id, null);
    return { id, requeued: true };
  }
}

/** The guard's view of failed deliveries, replayed before it listens; readiness "alert-failures". */
@Module({ providers: [FailedAlerts], exports: [FailedAlerts] })
export class FailedAlertsModule extends ViewModule {
  constructor(failures: FailedAlerts, @Inject(BUS) bus: Bus, readiness: ReadinessRegistry) {
    super(failures, bus, readiness, 'alert-failures');
  }
}
