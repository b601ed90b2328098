import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { TeamsTopic } from '@gatehouse/contracts';
import { ReadinessRegistry, RUNTIME, type Runtime } from '@gatehouse/runtime';
import { configTeamChanged, recordFromConfigTeam, TeamDirectory } from './team-directory';

/** Replays gatehouse.teams.v1 before the app listens (readiness "teams"), then publishes the config teams that changed. */
@Injectable()
export class TeamSyncService implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly teams: TeamDirectory,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('teams', () => ({ ok: teams.ready, detail: { teams: teams.size } }));
  }

  async onModuleInit(): Promise<void> {
    await this.teams.start(this.bus);
    const now = Date.now();
    for (const [name, t] of Object.entries(this.runtime.config.teams)) {
      const fresh = recordFromConfigTeam(name, t, now);
      if (!configTeamChanged(this.teams.get(name), fresh)) continue;
      this.teams.apply(name, fresh);
      this.bus.publish(TeamsTopic, name, fresh);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.teams.close();
  }
}
