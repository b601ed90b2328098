import { BadRequestException, Body, Controller, NotFoundException, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BacktestRequestSchema, PolicyBodySchema, type PolicyEvent } from '@gatehouse/contracts';
import { validatePolicy } from '@gatehouse/guardrails';
import { parseOr400 } from '@gatehouse/runtime';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { PolicyHistory } from '../policies/policy-history';
import { PolicyRegistry } from '../policies/policy-registry.service';
import { BacktestPolicy } from './backtest-policy';
import { BacktestService } from './backtest.service';

/**
 * POST /admin/policies/:id/backtest {from, to, teams?, models?, policy? | version?}: what a draft,
 * a stored version or the latest version would have done to stored traffic of the range, against
 * the active version. 200 with the result, or 202 with a job for large ranges.
 */
@Controller('admin/policies')
@UseGuards(AuthzGuard)
export class BacktestController {
  constructor(
    private readonly registry: PolicyRegistry,
    private readonly history: PolicyHistory,
    private readonly backtests: BacktestService,
  ) {}

  @Post(':id/backtest')
  @Requires('guardrails:operate', 'global')
  async backtest(@Param('id') id: string, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const req = parseOr400(BacktestRequestSchema, body);
    const active = this.registry.get(id) ?? null;
    let candidate: PolicyEvent | undefined;
    if (req.policy !== undefined) {
      const draft = parseOr400(PolicyBodySchema, { ...req.policy, id }, 'policy');
      const problem = validatePolicy(draft);
      if (problem) throw new BadRequestException({ error: { message: `policy.${problem.message}`, param: `policy.${problem.path}` } });
      candidate = { id, version: Math.max(active?.version ?? 0, this.registry.latestSeen(id)) + 1, created_at: Date.now(), policy: draft };
    } else if (req.version !== undefined) {
      candidate = this.history.version(id, req.version);
      if (!candidate) throw new NotFoundException({ error: { message: `policy "${id}" has no version ${req.version}`, param: 'version' } });
    } else {
      candidate = active ?? undefined;
      if (!candidate) throw new NotFoundException({ error: { message: `no policy with id "${id}"; send a draft as "policy"`, param: 'id' } });
    }
    try {
      new BacktestPolicy(candidate);
    } catch (e) {
      throw new BadRequestException({ error: { message: `policy: ${(e as Error).message}`, param: 'policy' } });
    }
    const started = await this.backtests.start({ candidate, draft: req.policy !== undefined, active, filter: { from: req.from, to: req.to, teams: req.teams, models: req.models } });
    if ('result' in started) return void reply.code(200).send(started.result);
    reply.code(202).header('location', `/admin/jobs/${started.job.id}`).send({ job: started.job, status_url: `/admin/jobs/${started.job.id}` });
  }
}
