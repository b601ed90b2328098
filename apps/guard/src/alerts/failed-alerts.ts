import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { AlertFailuresTopic } from '@gatehouse/contracts';
import { Audited, AuthzGuard, idParam, Requires } from '@gatehouse/auth';
import { AlertDeliveries } from './alert-delivery';
import { maskedUrl } from './alert-text';
import { FailedAlerts } from './failed-alerts.view';

/** GET /admin/alerts/failed: undeliverable alerts (target URL masked); POST /admin/alerts/:id/retry queues one again. */
@Controller('admin/alerts')
@UseGuards(AuthzGuard)
export class AlertsController {
  constructor(
    private readonly failures: FailedAlerts,
    private readonly deliveries: AlertDeliveries,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  @Get('failed')
  @Requires('guardrails:operate', 'global')
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
  @Requires('guardrails:operate', 'global')
  @Audited({ action: 'alert.retry', target: 'alert', id: idParam })
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
