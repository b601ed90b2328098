import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BUS, type Bus, type Subscription } from '@gatehouse/bus';
import { AlertsTopic, VerdictsTopic, type AlertEvent, type Verdict } from '@gatehouse/contracts';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';

export const DENY_ALERTS_GROUP = 'gatehouse-guard-deny-alerts';

/**
 * Deny verdicts of the policies' enforced checks → `guardrail_deny` alerts, at most one per policy
 * per alerts.deny_interval_s (per guard replica); the denies in between are counted into the next.
 */
export class DenyAlertLimiter {
  private readonly last = new Map<string, { at: number; folded: number }>();

  constructor(private readonly intervalMs: number) {}

  /** The alert for this verdict, or null when it is folded into the next one (or not an applied deny). */
  alertFor(v: Verdict, now: number): AlertEvent | null {
    if (v.action !== 'deny' || !v.applied || v.outcome !== 'fail') return null;
    const seen = this.last.get(v.policy_id);
    if (seen && now - seen.at < this.intervalMs) {
      seen.folded++;
      return null;
    }
    this.last.set(v.policy_id, { at: now, folded: 0 });
    return {
      kind: 'guardrail_deny',
      alert_id: `deny.${v.verdict_id}`,
      ts: now,
      policy_id: v.policy_id,
      policy_version: v.policy_version,
      request_id: v.request_id,
      model: v.model,
      key_id: v.key_id,
      team: v.team,
      checks: [v.check_type],
      denies_since_last: seen?.folded ?? 0,
    };
  }
}

/** Reads gatehouse.verdicts.v1 (its own consumer group) and publishes deny alerts on gatehouse.alerts.v1. */
@Injectable()
export class DenyAlerts implements OnApplicationBootstrap, OnModuleDestroy {
  private sub: Subscription | null = null;
  private readonly limiter: DenyAlertLimiter;

  constructor(@Inject(BUS) private readonly bus: Bus, @Inject(RUNTIME) runtime: Runtime) {
    this.limiter = new DenyAlertLimiter(runtime.config.alerts.deny_interval_s * 1000);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.sub = await this.bus.subscribe(VerdictsTopic, { group: DENY_ALERTS_GROUP, fromBeginning: false }, async (batch) => {
      for (const m of batch) {
        const alert = m.value && this.limiter.alertFor(m.value, Date.now());
        if (alert) this.bus.publish(AlertsTopic, alert.alert_id, alert);
      }
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.sub?.close();
  }
}
