import { Controller, Get, Headers, Query, UseFilters } from '@nestjs/common';
import { AnalyticsAuth } from '../auth/analytics-auth';
import { AnalyticsStore } from './analytics-store';
import { AnalyticsErrorFilter } from './gateway-error.filter';
import { buildLatencyQuery, parseLatencyParams } from './latency.query';
import { single, type RawQuery } from './params';

@Controller('analytics')
@UseFilters(AnalyticsErrorFilter)
export class LatencyController {
  constructor(private readonly auth: AnalyticsAuth, private readonly store: AnalyticsStore) {}

  @Get('latency')
  async latency(@Headers() headers: Record<string, string>, @Query() query: RawQuery) {
    const caller = this.auth.caller(headers);
    const p = parseLatencyParams(single(query));
    const data = await this.store.rows(buildLatencyQuery(p, caller, this.store.database));
    return { from: p.filters.from, to: p.filters.to, group_by: p.groupBy, data };
  }
}
