import { Inject, Module } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { ReadinessRegistry, ViewModule } from '@gatehouse/runtime';
import { TeamDirectory } from './team-directory';

/**
 * The process's one view of gatehouse.teams.v1 (imported by the ingress, which enforces the teams'
 * limits, and the analytics app, which reports their budget use). Caught up before the app listens;
 * readiness "teams".
 */
@Module({ providers: [TeamDirectory], exports: [TeamDirectory] })
export class TeamsModule extends ViewModule {
  constructor(teams: TeamDirectory, @Inject(BUS) bus: Bus, readiness: ReadinessRegistry) {
    super(teams, bus, readiness, 'teams');
  }
}
