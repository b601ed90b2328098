import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import { AnalyticsCallerGuard, Caller } from '../auth/analytics-caller.guard';
import { AnalyticsStore } from './analytics-store';
import { buildLatencyQuery, parseLatencyParams } from './latency.query';
import { single, type RawQuery } from './params';

@Controller('analytics')
@UseGuards(AnalyticsCallerGuard)
export class LatencyController {
  constructor(private readonly store: AnalyticsStore) {}

  @Get('latency')
  async latency(@Caller() caller: AnalyticsCaller, @Query() query: RawQuery) {
    const p = parseLatencyParams(single(query));
    const data = await this.store.rows(buildLatencyQuery(p, caller, this.store.database));
    return { from: p.filters.from, to: p.filters.to, group_by: p.groupBy.join(',') || null, data };
  }
}
