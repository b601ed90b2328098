import { createHash } from 'node:crypto';
import { Inject, Injectable, Module } from '@nestjs/common';
import { BUS, type Bus, CompactedView } from '@gatehouse/bus';
import { TeamsTopic, type AlertEvent, type AlertTarget, type TeamRecord } from '@gatehouse/contracts';
import { KeyDirectory, KeysModule } from '@gatehouse/keys';
import { PoliciesModule, PolicyDirectory } from '@gatehouse/policies';
import { ReadinessRegistry, RUNTIME, ViewModule, type Runtime } from '@gatehouse/runtime';

/** Every team's record as the guard sees it (for the teams' alert targets). */
@Injectable()
export class AlertTeamView extends CompactedView<TeamRecord> {
  constructor() {
    super(TeamsTopic);
  }
}

/** The guard's view of gatehouse.teams.v1, replayed before it listens; readiness "alert-teams". */
@Module({ providers: [AlertTeamView], exports: [AlertTeamView] })
export class AlertTeamsModule extends ViewModule {
  constructor(teams: AlertTeamView, @Inject(BUS) bus: Bus, readiness: ReadinessRegistry) {
    super(teams, bus, readiness, 'alert-teams');
  }
}

/** The delivery id of an alert to a target: stable, so a replayed alert is queued once per target. */
export function deliveryId(alertId: string, target: AlertTarget): string {
  return createHash('sha256').update(`${alertId}\u0000${target.type}\u0000${target.url}`).digest('hex').slice(0, 32);
}

/** Where an alert goes: the config's alerts.targets, and those of the policy, key and team it names (each target once). */
@Injectable()
export class AlertTargets {
  constructor(
    private readonly policies: PolicyDirectory,
    private readonly keys: KeyDirectory,
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
      const k = `${t.type} ${t.url}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
}

@Module({ imports: [PoliciesModule, KeysModule, AlertTeamsModule], providers: [AlertTargets], exports: [AlertTargets] })
export class AlertTargetsModule {}
