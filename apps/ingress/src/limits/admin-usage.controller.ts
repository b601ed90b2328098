import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { AdminGuard } from '@gatehouse/runtime';
import { Limiter } from '@gatehouse/spend';
import { KeyService, TeamDirectory } from '@gatehouse/keys';
import { unknownTeam } from '../teams/unknown-team';

/** Current rate-limit window and period spend of a key or a team, from the same counters the limiter uses. */
@Controller('admin')
@UseGuards(AdminGuard)
export class AdminUsageController {
  constructor(
    private readonly keys: KeyService,
    private readonly teams: TeamDirectory,
    @Inject(Limiter) private readonly limiter: Limiter,
  ) {}

  @Get('keys/:id/usage')
  async key(@Param('id') id: string) {
    const k = this.keys.get(id);
    return { key_id: k.id, name: k.name, team: k.team, ...(await this.limiter.usage('key', k.id, k.name, k)) };
  }

  @Get('teams/:team/usage')
  async team(@Param('team') team: string) {
    const t = this.teams.get(team);
    if (!t) throw unknownTeam(team);
    return { team: t.name, ...(await this.limiter.usage('team', t.name, t.name, t)) };
  }
}
