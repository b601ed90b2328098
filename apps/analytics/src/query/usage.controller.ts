import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { AnalyticsCallerGuard, Caller } from '../auth/analytics-caller.guard';
import { AnalyticsStore } from './analytics-store';
import { single, type RawQuery } from './params';
import { buildUsageQuery, parseUsageParams } from './usage.query';

@Controller('analytics')
@UseGuards(AnalyticsCallerGuard)
export class UsageController {
  constructor(private readonly store: AnalyticsStore) {}

  @Get('usage')
  async usage(@Caller() caller: AnalyticsCaller, @Query() query: RawQuery) {
    const p = parseUsageParams(single(query));
    const data = await this.store.rows(buildUsageQuery(p, caller, this.store.database));
    return { from: p.filters.from, to: p.filters.to, group_by: p.groupBy.join(',') || null, data };
  }
}
