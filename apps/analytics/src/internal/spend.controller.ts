import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { z } from 'zod';
import { AnalyticsStore } from '../query/analytics-store';
import { parseWith, single, TimeParam, type RawQuery } from '../query/params';
import { periodSpend } from './period-spend';

const SpendQuery = z
  .object({ key_id: z.string().min(1).max(256).optional(), team: z.string().min(1).max(256).optional(), from: TimeParam })
  .refine((q) => (q.key_id === undefined) !== (q.team === undefined), { message: 'exactly one of key_id or team', path: ['key_id'] });

/**
 * GET /internal/spend?key_id=|team=&from= (admin token): what the ingress re-seeds a missing budget
 * counter with (docs/architecture.md, "Budgets and their counters").
 */
@Controller('internal')
@UseGuards(AuthzGuard)
export class InternalSpendController {
  constructor(private readonly store: AnalyticsStore) {}

  @Get('spend')
  @Requires('internal:read', 'global')
  async spend(@Query() query: RawQuery) {
    const q = parseWith(SpendQuery, single(query));
    const spend = await periodSpend(this.store, q.key_id !== undefined ? 'key' : 'team', (q.key_id ?? q.team)!, q.from);
    return { ...(q.key_id !== undefined ? { key_id: q.key_id } : { team: q.team }), from: q.from, spend_usd: spend };
  }
}
