import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { request } from 'undici';
import { BUS, type Bus, type Subscription } from '@gatehouse/bus';
import { AlertDelivery, AlertFailuresTopic, AlertsTopic, type AlertDeliveryJob, type AlertEvent } from '@gatehouse/contracts';
import { JOB_QUEUE, type JobQueue } from '@gatehouse/jobs';
import { counter } from '@gatehouse/observability';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { alertText } from './alert-text';
import { AlertTargets, deliveryId } from './alert-targets';
import { BreakerAlertGate } from './breaker-alert-gate';
import { subscribeInBackground } from './deny-alerts';

export const ALERT_FANOUT_GROUP = 'gatehouse-guard-alerts';
/** Deliveries are remembered this long, so an alert replayed from the topic is not delivered again. */
const KEEP_DONE_S = 7 * 24 * 3600;
/** A delivery's claim lapses this long after its guard died; another guard then delivers it. */
const DELIVERY_LOCK_MS = 5_000;

const delivered = counter('gatehouse_alert_deliveries_total', 'Alert deliveries by target type and result (delivered, failed after every attempt)', ['type', 'result']);

/** What a target receives: the alert as it is (webhook), or Slack's {"text": ...}. */
export function deliveryBody(job: Pick<AlertDeliveryJob, 'delivery_id' | 'target' | 'alert'>): string {
  return JSON.stringify(job.target.type === 'slack' ? { text: alertText(job.alert) } : { ...job.alert, delivery_id: job.delivery_id });
}

/**
 * Fans every alert of gatehouse.alerts.v1 out to its targets as `alert.delivery` jobs (one per
 * target, id = delivery id: a replayed alert is queued once; breaker events through the
 * BreakerAlertGate, so N gateway processes tripping on one outage make one alert), and runs those jobs: a POST with
 * alerts.timeout_ms, retried alerts.attempts times with backoff from alerts.backoff_ms. A delivery
 * that failed every attempt is kept on the compacted gatehouse.alert-failures.v1.
 */
@Injectable()
export class AlertDeliveries implements OnApplicationBootstrap, OnModuleDestroy {
  private sub: Promise<Subscription | null> = Promise.resolve(null);
  private readonly breakers = new BreakerAlertGate();

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly targets: AlertTargets,
  ) {}

  onApplicationBootstrap(): void {
    this.queue.process(AlertDelivery, (job) => this.deliver(job), {
      concurrency: 8,
      lockMs: DELIVERY_LOCK_MS,
      onFailed: (payload, err, attempts) => this.failed(payload as AlertDeliveryJob, err, attempts),
    });
    this.sub = subscribeInBackground(this.runtime, 'alert fan-out', () =>
      this.bus.subscribe(AlertsTopic, { group: ALERT_FANOUT_GROUP, fromBeginning: true }, async (batch) => {
        for (const m of batch) if (m.value) await this.fanOut(m.value);
      }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await (await this.sub)?.close();
  }

  async fanOut(alert: AlertEvent): Promise<void> {
    // Breaker events come from every gateway process: one opening and one closing per outage are told.
    if ((alert.kind === 'breaker_open' || alert.kind === 'breaker_closed') && !this.breakers.admit(alert, Date.now())) return;
    for (const target of this.targets.for(alert)) {
      const id = deliveryId(alert.alert_id, target);
      await this.enqueue({ delivery_id: id, target, alert, enqueued_at: Date.now() }, id);
    }
  }

  /** Queues a delivery under `jobId` (the delivery id, or a fresh one for a redelivery). */
  async enqueue(job: AlertDeliveryJob, jobId: string): Promise<void> {
    const a = this.runtime.config.alerts;
    await this.queue.enqueue(AlertDelivery, job, { id: jobId, attempts: a.attempts, backoffMs: a.backoff_ms, keepDoneS: KEEP_DONE_S });
  }

  private async deliver(job: AlertDeliveryJob): Promise<void> {
    const timeout = this.runtime.config.alerts.timeout_ms;
    let status: number;
    try {
      const res = await request(job.target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'gatehouse-alerts' },
        body: deliveryBody(job),
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      });
      status = res.statusCode;
      await res.body.dump();
    } catch (err) {
      throw new Error(`request failed: ${(err as Error).message}`.slice(0, 300));
    }
    if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
    delivered.inc({ type: job.target.type, result: 'delivered' });
  }

  private failed(job: AlertDeliveryJob, err: Error, attempts: number): void {
    delivered.inc({ type: job.target.type, result: 'failed' });
    this.bus.publish(AlertFailuresTopic, job.delivery_id, { ...job, failed_at: Date.now(), attempts, last_error: err.message.slice(0, 500) });
  }
}
