import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { Caller, type AnalyticsCaller } from '../auth/analytics-caller';
import { queryTeam } from '../auth/analytics-scopes';
import { AnalyticsStore } from './analytics-store';
import { buildLatencyQuery, parseLatencyParams } from './latency.query';
import { single, type RawQuery } from './params';

@Controller('analytics')
@UseGuards(AuthzGuard)
export class LatencyController {
  constructor(private readonly store: AnalyticsStore) {}

  @Get('latency')
  @Requires('analytics:read', queryTeam)
  async latency(@Caller() caller: AnalyticsCaller, @Query() query: RawQuery) {
    const p = parseLatencyParams(single(query));
    const data = await this.store.rows(buildLatencyQuery(p, caller, this.store.database));
    return { from: p.filters.from, to: p.filters.to, group_by: p.groupBy.join(',') || null, data };
  }
}
