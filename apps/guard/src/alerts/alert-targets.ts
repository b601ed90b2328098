import { createHash } from 'node:crypto';
import { Inject, Injectable, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus, CompactedView } from '@gatehouse/bus';
import { KeysTopic, TeamsTopic, type AlertEvent, type AlertTarget, type KeyRecord, type TeamRecord } from '@gatehouse/contracts';
import { PoliciesModule, PolicyDirectory } from '@gatehouse/policies';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { FailedAlerts } from './failed-alerts.view';

/** Every team's record as the guard sees it (for the teams' alert targets). */
@Injectable()
export class AlertTeamView extends CompactedView<TeamRecord> {
  constructor() {
    super(TeamsTopic);
  }
}

/** Every key's record as the guard sees it (for the keys' alert targets). */
@Injectable()
export class AlertKeyView extends CompactedView<KeyRecord> {
  constructor() {
    super(KeysTopic);
  }
}

/**
 * Views the alerts read, replayed in the background: the guard's start (and /readyz) never waits
 * for them; an alert fanned out before they caught up reaches the config's and policy's targets.
 */
@Injectable()
export class BackgroundViews implements OnModuleInit, OnModuleDestroy {
  private readonly views: Array<CompactedView<unknown>>;

  constructor(@Inject(BUS) private readonly bus: Bus, @Inject(RUNTIME) private readonly runtime: Runtime, keys: AlertKeyView, teams: AlertTeamView, failures: FailedAlerts) {
    this.views = [keys, teams, failures] as Array<CompactedView<unknown>>;
  }

  onModuleInit(): void {
    for (const view of this.views) {
      view.start(this.bus).catch((err: unknown) => this.runtime.logger.error({ err: (err as Error).message }, 'alerts: a view could not start'));
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.views.map((v) => v.close()));
  }
}

/** The delivery id of an alert to a target: stable, so a replayed alert is queued once per target. */
export function deliveryId(alertId: string, target: AlertTarget): string {
  return createHash('sha256').update(`${alertId}\u0000${target.type}\u0000${target.url}`).digest('hex').slice(0, 32);
}

/** Where an alert goes: the config's alerts.targets, and those of the policy, key and team it names (each target once; a target with `kinds` only gets those). */
@Injectable()
export class AlertTargets {
  constructor(
    private readonly policies: PolicyDirectory,
    private readonly keys: AlertKeyView,
    private readonly teams: AlertTeamView,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  for(alert: AlertEvent): AlertTarget[] {
    const all = [
      ...this.runtime.config.alerts.targets,
      ...(alert.policy_id ? (this.policies.get(alert.policy_id)?.policy.alerts ?? []) : []),
      ...(alert.key_id ? (this.keys.get(alert.key_id)?.alerts ?? []) : []),
      ...(alert.team ? (this.teams.get(alert.team)?.alerts ?? []) : []),
    ];
    const seen = new Set<string>();
    return all.filter((t) => {
      if (t.kinds && !t.kinds.includes(alert.kind)) return false;
      const k = `${t.type} ${t.url}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
}

@Module({ imports: [PoliciesModule], providers: [AlertKeyView, AlertTeamView, FailedAlerts, BackgroundViews, AlertTargets], exports: [AlertTargets, FailedAlerts] })
export class AlertTargetsModule {}
