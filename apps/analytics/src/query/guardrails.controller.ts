import { Controller, Get, Headers, Query, UseFilters } from '@nestjs/common';
import { AnalyticsAuth } from '../auth/analytics-auth';
import { AnalyticsStore } from './analytics-store';
import { AnalyticsErrorFilter } from './gateway-error.filter';
import { buildGuardrailsQuery, parseGuardrailsParams } from './guardrails.query';
import { single, type RawQuery } from './params';

@Controller('analytics')
@UseFilters(AnalyticsErrorFilter)
export class GuardrailsController {
  constructor(private readonly auth: AnalyticsAuth, private readonly store: AnalyticsStore) {}

  @Get('guardrails')
  async guardrails(@Headers() headers: Record<string, string>, @Query() query: RawQuery) {
    const caller = this.auth.caller(headers);
    const p = parseGuardrailsParams(single(query));
    const data = await this.store.rows(buildGuardrailsQuery(p, caller, this.store.database));
    return { from: p.filters.from, to: p.filters.to, data };
  }
}
