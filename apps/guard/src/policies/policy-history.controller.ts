import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { PolicyEvent } from '@gatehouse/contracts';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { policyTeams } from './policy-scopes';
import { etagOf } from './if-match';
import { PolicyHistory } from './policy-history';
import { diffVersions, listVersions } from './policy-version-views';

function versionParam(raw: string | undefined, param: string): number {
  if (raw === undefined || !/^\d{1,15}$/.test(raw) || Number(raw) < 1) {
    throw new BadRequestException({ error: { message: `${param}: expected a policy version (a positive integer), got ${JSON.stringify(raw ?? null)}`, param } });
  }
  return Number(raw);
}

/** Policy history: every version of a policy, one version's full body, and the diff of two. */
@Controller('admin/policies')
@UseGuards(AuthzGuard)
export class PolicyHistoryController {
  constructor(private readonly history: PolicyHistory) {}

  @Get(':id/versions')
  @Requires('policies:read', policyTeams)
  list(@Param('id') id: string) {
    return { id, data: listVersions(this.versionsOf(id)) };
  }

  @Get(':id/versions/:v')
  @Requires('policies:read', policyTeams)
  get(@Param('id') id: string, @Param('v') v: string, @Res({ passthrough: true }) reply: FastifyReply): PolicyEvent {
    const event = this.find(id, versionParam(v, 'v'), 'v');
    reply.header('etag', etagOf(event.version));
    return event;
  }

  /** GET /admin/policies/:id/diff?from=1&to=3 (`to` defaults to the latest version). */
  @Get(':id/diff')
  @Requires('policies:read', policyTeams)
  diff(@Param('id') id: string, @Query('from') fromRaw: string | undefined, @Query('to') toRaw: string | undefined) {
    const versions = this.versionsOf(id);
    const from = this.find(id, versionParam(fromRaw, 'from'), 'from');
    const to = toRaw === undefined ? versions[versions.length - 1]! : this.find(id, versionParam(toRaw, 'to'), 'to');
    const meta = (e: PolicyEvent) => ({ version: e.version, created_at: e.created_at, actor: e.actor ?? null });
    return { id, from: meta(from), to: meta(to), changes: diffVersions(from, to) };
  }

  private versionsOf(id: string): PolicyEvent[] {
    const versions = this.history.versions(id);
    if (versions.length === 0) throw new NotFoundException({ error: { message: `no policy with id "${id}" has ever existed`, param: 'id' } });
    return versions;
  }

  private find(id: string, version: number, param: string): PolicyEvent {
    const event = this.history.version(id, version);
    if (!event) {
      const known = this.versionsOf(id).map((e) => e.version);
      throw new NotFoundException({ error: { message: `policy "${id}" has no version ${version} (versions: ${known.join(', ')})`, param } });
    }
    return event;
  }
}
