import { Body, ConflictException, Controller, Delete, Get, Headers, HttpCode, NotFoundException, Param, Post, Put, Res, UseGuards, BadRequestException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GatewayError, PolicyBodySchema, type PolicyEvent } from '@gatehouse/contracts';
import { parseOr400 } from '@gatehouse/runtime';
import { answerId, Audited, AuthzGuard, CurrentPrincipal, idParam, Requires, type Principal } from '@gatehouse/auth';
import { newPolicyTeams, policyBefore, policyTeams, policyVisible, replacedPolicyTeams } from './policy-scopes';
import { validatePolicy } from '@gatehouse/guardrails';
import { etagOf, parseIfMatch } from './if-match';
import { PolicyRegistry, type PublishResult } from './policy-registry.service';

/**
 * Policies admin API: every PUT is a new immutable version published to gatehouse.policies.v1 (and
 * kept in gatehouse.policy-versions.v1). PUT takes If-Match: <version>; answers carry ETag: <version>.
 */
@Controller('admin/policies')
@UseGuards(AuthzGuard)
export class PoliciesController {
  constructor(private readonly registry: PolicyRegistry) {}

  @Post()
  @HttpCode(201)
  @Requires('policies:write', newPolicyTeams)
  @Audited({ action: 'policy.create', target: 'policy', id: answerId })
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<PolicyEvent> {
    const policy = parseOr400(PolicyBodySchema, body);
    this.check(policy);
    if (this.registry.get(policy.id)) throw new ConflictException({ error: { message: `policy "${policy.id}" exists; PUT /admin/policies/${policy.id} makes a new version`, param: 'id' } });
    return this.answer(await this.registry.publish(policy, principal.actor), reply);
  }

  @Get()
  @Requires('policies:read', 'caller')
  list(@CurrentPrincipal() principal: Principal) {
    return { data: this.registry.list().filter((p) => policyVisible(principal.teams, p)) };
  }

  @Get(':id')
  @Requires('policies:read', policyTeams)
  get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): PolicyEvent {
    const event = this.find(id);
    reply.header('etag', etagOf(event.version));
    return event;
  }

  @Put(':id')
  @Requires('policies:write', replacedPolicyTeams)
  @Audited({ action: 'policy.update', target: 'policy', id: idParam, before: policyBefore })
  async put(@Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<PolicyEvent> {
    const expected = parseIfMatch(ifMatch);
    const raw = body && typeof body === 'object' && !Array.isArray(body) ? { id, ...(body as Record<string, unknown>) } : body;
    const policy = parseOr400(PolicyBodySchema, raw);
    if (policy.id !== id) throw new BadRequestException({ error: { message: `id: "${policy.id}" does not match the URL ("${id}")`, param: 'id' } });
    this.check(policy);
    return this.answer(await this.registry.publish(policy, principal.actor, expected), reply);
  }

  @Delete(':id')
  @Requires('policies:write', policyTeams)
  @Audited({ action: 'policy.delete', target: 'policy', id: idParam, before: policyBefore, after: () => null })
  remove(@Param('id') id: string) {
    const current = this.find(id);
    this.registry.remove(id);
    return { id, deleted: true, last_version: current.version };
  }

  /** The new version with its ETag, or 409 naming the latest version when If-Match was stale. */
  private answer(result: PublishResult, reply: FastifyReply): PolicyEvent {
    if (!result.ok) {
      throw new GatewayError(409, 'conflict_error', `If-Match names a stale version: the latest version is ${result.current}; GET it, re-apply your change and PUT with If-Match: "${result.current}"`, {
        code: 'version_conflict',
        param: 'If-Match',
        headers: { etag: etagOf(result.current) },
      });
    }
    reply.header('etag', etagOf(result.event.version));
    return result.event;
  }

  private find(id: string): PolicyEvent {
    const p = this.registry.get(id);
    if (!p) throw new NotFoundException({ error: { message: `no policy with id "${id}"`, param: 'id' } });
    return p;
  }

  private check(policy: Parameters<typeof validatePolicy>[0]): void {
    const problem = validatePolicy(policy);
    if (problem) throw new BadRequestException({ error: { message: problem.message, param: problem.path } });
  }
}
