import { Body, Controller, Get, Inject, Param, Put, UseGuards } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { TeamsTopic, type TeamRecord } from '@gatehouse/contracts';
import { unknownTeam } from './unknown-team';
import { parseOr400 } from '@gatehouse/runtime';
import { Audited, AuthzGuard, CurrentPrincipal, Requires, seesTeam, type Principal } from '@gatehouse/auth';
import { teamBefore, teamIdParam, urlTeam } from './team-scopes';
import { PutTeamSchema, TeamNameSchema } from './admin-teams.schema';
import { TeamDirectory } from '@gatehouse/keys';

/** Team limits: stored on the compacted gatehouse.teams.v1 topic, so every replica applies a PUT. A team-admin sees and sets its own teams'. */
@Controller('admin/teams')
@UseGuards(AuthzGuard)
export class AdminTeamsController {
  constructor(
    private readonly store: TeamDirectory,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  @Get()
  @Requires('teams:read', 'caller')
  list(@CurrentPrincipal() principal: Principal) {
    return { data: this.store.all().filter((t) => seesTeam(principal, t.name)) };
  }

  @Get(':team')
  @Requires('teams:read', urlTeam)
  get(@Param('team') team: string) {
    const t = this.store.get(team);
    if (!t) throw unknownTeam(team);
    return t;
  }

  @Put(':team')
  @Requires('teams:write', urlTeam)
  @Audited({ action: 'team.update', target: 'team', id: teamIdParam, before: teamBefore })
  put(@Param('team') team: string, @Body() body: unknown) {
    const name = parseOr400(TeamNameSchema, team, 'team');
    const input = parseOr400(PutTeamSchema, body ?? {});
    const record: TeamRecord = { name, ...input, budget_period: input.budget_period ?? 'month', updated_at: Date.now(), source: 'admin' };
    this.store.apply(name, record);
    this.bus.publish(TeamsTopic, name, record);
    return record;
  }
}
