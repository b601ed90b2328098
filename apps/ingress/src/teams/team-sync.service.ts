import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { TeamsTopic } from '@gatehouse/contracts';
import { TeamDirectory } from '@gatehouse/keys';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { configTeamChanged, recordFromConfigTeam } from './config-teams';

/** Once TeamsModule replayed gatehouse.teams.v1 (before the app listens), publishes the config teams that changed. */
@Injectable()
export class TeamSyncService implements OnModuleInit {
  constructor(
    private readonly teams: TeamDirectory,
    @Inject(BUS) private readonly bus: Bus,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  async onModuleInit(): Promise<void> {
    this.publishConfigTeams(this.runtime.config.teams);
  }

  /** Publishes the config's teams that differ from what the directory holds (at start and on a config reload). */
  publishConfigTeams(teams: Runtime['config']['teams']): void {
    const now = Date.now();
    for (const [name, t] of Object.entries(teams)) {
      const fresh = recordFromConfigTeam(name, t, now);
      if (!configTeamChanged(this.teams.get(name), fresh)) continue;
      this.teams.apply(name, fresh);
      this.bus.publish(TeamsTopic, name, fresh);
    }
  }
}
