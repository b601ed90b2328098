import { Body, ConflictException, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Put, UseGuards, BadRequestException } from '@nestjs/common';
import { PolicyBodySchema, type PolicyEvent } from '@gatehouse/contracts';
import { AdminGuard, parseOr400 } from '@gatehouse/runtime';
import { validatePolicy } from '@gatehouse/guardrails';
import { PolicyRegistry } from './policy-registry.service';

/** Policies admin API: every PUT is a new immutable version published to gatehouse.policies.v1. */
@Controller('admin/policies')
@UseGuards(AdminGuard)
export class PoliciesController {
  constructor(private readonly registry: PolicyRegistry) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): PolicyEvent {
    const policy = parseOr400(PolicyBodySchema, body);
    this.check(policy);
    if (this.registry.get(policy.id)) throw new ConflictException({ error: { message: `policy "${policy.id}" exists; PUT /admin/policies/${policy.id} makes a new version`, param: 'id' } });
    return this.registry.publish(policy);
  }

  @Get()
  list() {
    return { data: this.registry.list() };
  }

  @Get(':id')
  get(@Param('id') id: string): PolicyEvent {
    return this.find(id);
  }

  @Put(':id')
  put(@Param('id') id: string, @Body() body: unknown): PolicyEvent {
    const raw = body && typeof body === 'object' && !Array.isArray(body) ? { id, ...(body as Record<string, unknown>) } : body;
    const policy = parseOr400(PolicyBodySchema, raw);
    if (policy.id !== id) throw new BadRequestException({ error: { message: `id: "${policy.id}" does not match the URL ("${id}")`, param: 'id' } });
    this.check(policy);
    return this.registry.publish(policy);
  }

  @Delete(':id')
  remove(@Param('id') id: string) {
    const current = this.find(id);
    this.registry.remove(id);
    return { id, deleted: true, last_version: current.version };
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
