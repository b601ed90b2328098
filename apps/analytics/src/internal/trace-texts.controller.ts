import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { countTraceTexts, readTraceTextPage } from '@gatehouse/clickhouse';
import { TraceTextFilterSchema, TraceTextPageRequestSchema } from '@gatehouse/contracts';
import { parseOr400 } from '@gatehouse/runtime';
import { AnalyticsStore } from '../query/analytics-store';

/**
 * What a guard without the analytics store reads for a backtest (admin token): pages of stored
 * traces with their retained bodies, ascending by time, and the size of a range.
 */
@Controller('internal/trace-texts')
@UseGuards(AuthzGuard)
export class InternalTraceTextsController {
  constructor(private readonly store: AnalyticsStore) {}

  @Post()
  @HttpCode(200)
  @Requires('internal:read', 'global')
  async page(@Body() body: unknown) {
    const q = parseOr400(TraceTextPageRequestSchema, body);
    return { data: await readTraceTextPage(this.store.clickhouse, q.filter, q.after, q.limit) };
  }

  @Post('count')
  @HttpCode(200)
  @Requires('internal:read', 'global')
  async count(@Body() body: unknown) {
    return countTraceTexts(this.store.clickhouse, parseOr400(TraceTextFilterSchema, body));
  }
}
