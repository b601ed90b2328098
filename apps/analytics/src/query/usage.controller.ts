import { Controller, Get, Headers, Query, UseFilters } from '@nestjs/common';
import { AnalyticsAuth } from '../auth/analytics-auth';
import { AnalyticsStore } from './analytics-store';
import { AnalyticsErrorFilter } from './gateway-error.filter';
import { single, type RawQuery } from './params';
import { buildUsageQuery, parseUsageParams } from './usage.query';

@Controller('analytics')
@UseFilters(AnalyticsErrorFilter)
export class UsageController {
  constructor(private readonly auth: AnalyticsAuth, private readonly store: AnalyticsStore) {}

  @Get('usage')
  async usage(@Headers() headers: Record<string, string>, @Query() query: RawQuery) {
    const caller = this.auth.caller(headers);
    const p = parseUsageParams(single(query));
    const data = await this.store.rows(buildUsageQuery(p, caller, this.store.database));
    return { from: p.filters.from, to: p.filters.to, group_by: p.groupBy, data };
  }
}
