import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { Limiter } from '@gatehouse/spend';
import { KeyService, TeamDirectory } from '@gatehouse/keys';
import { unknownTeam } from '../teams/unknown-team';
import { keyTeam } from '../keys/key-scopes';
import { urlTeam } from '../teams/team-scopes';

/** Current rate-limit window and period spend of a key or a team, from the same counters the limiter uses. */
@Controller('admin')
@UseGuards(AuthzGuard)
export class AdminUsageController {
  constructor(
    private readonly keys: KeyService,
    private readonly teams: TeamDirectory,
    @Inject(Limiter) private readonly limiter: Limiter,
  ) {}

  @Get('keys/:id/usage')
  @Requires('keys:read', keyTeam)
  async key(@Param('id') id: string) {
    const k = this.keys.get(id);
    return { key_id: k.id, name: k.name, team: k.team, ...(await this.limiter.usage('key', k.id, k.name, k)) };
  }

  @Get('teams/:team/usage')
  @Requires('teams:read', urlTeam)
  async team(@Param('team') team: string) {
    const t = this.teams.get(team);
    if (!t) throw unknownTeam(team);
    return { team: t.name, ...(await this.limiter.usage('team', t.name, t.name, t)) };
  }
}
