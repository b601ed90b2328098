import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BUS, type Bus, type Subscription } from '@gatehouse/bus';
import { AlertsTopic, VerdictsTopic, type AlertEvent, type Verdict } from '@gatehouse/contracts';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';

export const DENY_ALERTS_GROUP = 'gatehouse-guard-deny-alerts';
/**
 * Verdicts older than this are not alerted: the group reads from the beginning the first time (so
 * nothing published while it was joining is missed) without alerting on old history.
 */
export const DENY_ALERT_MAX_AGE_MS = 10 * 60_000;

/** A subscription started without waiting for it; a failure is logged (the guard keeps serving its admin API). */
export function subscribeInBackground(runtime: Runtime, what: string, subscribe: () => Promise<Subscription>): Promise<Subscription | null> {
  return subscribe().catch((err: unknown) => {
    runtime.logger.error({ err: (err as Error).message }, `alerts: could not subscribe (${what}); no such alerts until a restart`);
    return null;
  });
}

/**
 * Deny verdicts of the policies' enforced checks → `guardrail_deny` alerts, at most one per policy
 * per alerts.deny_interval_s (per guard replica); the denies in between are counted into the next.
 */
export class DenyAlertLimiter {
  private readonly last = new Map<string, { at: number; folded: number }>();

  constructor(private readonly intervalMs: number) {}

  /** The alert for this verdict, or null when it is folded into the next one (or not an applied deny, or older than DENY_ALERT_MAX_AGE_MS). */
  alertFor(v: Verdict, now: number): AlertEvent | null {
    if (v.action !== 'deny' || !v.applied || v.outcome !== 'fail' || now - v.ts > DENY_ALERT_MAX_AGE_MS) return null;
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
  private sub: Promise<Subscription | null> = Promise.resolve(null);
  private readonly limiter: DenyAlertLimiter;

  constructor(@Inject(BUS) private readonly bus: Bus, @Inject(RUNTIME) private readonly runtime: Runtime) {
    this.limiter = new DenyAlertLimiter(runtime.config.alerts.deny_interval_s * 1000);
  }

  /** Joins its consumer group in the background: a slow group join (a dead member's session) never delays the guard's start. */
  onApplicationBootstrap(): void {
    this.sub = subscribeInBackground(this.runtime, 'deny alerts', () =>
      this.bus.subscribe(VerdictsTopic, { group: DENY_ALERTS_GROUP, fromBeginning: true }, async (batch) => {
        for (const m of batch) {
          const alert = m.value && this.limiter.alertFor(m.value, Date.now());
          if (alert) this.bus.publish(AlertsTopic, alert.alert_id, alert);
        }
      }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await (await this.sub)?.close();
  }
}
