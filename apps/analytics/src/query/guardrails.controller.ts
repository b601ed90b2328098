import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { Caller, type AnalyticsCaller } from '../auth/analytics-caller';
import { queryTeam } from '../auth/analytics-scopes';
import { AnalyticsStore } from './analytics-store';
import { buildGuardrailsQuery, parseGuardrailsParams } from './guardrails.query';
import { single, type RawQuery } from './params';

@Controller('analytics')
@UseGuards(AuthzGuard)
export class GuardrailsController {
  constructor(private readonly store: AnalyticsStore) {}

  @Get('guardrails')
  @Requires('analytics:read', queryTeam)
  async guardrails(@Caller() caller: AnalyticsCaller, @Query() query: RawQuery) {
    const p = parseGuardrailsParams(single(query));
    const data = await this.store.rows(buildGuardrailsQuery(p, caller, this.store.database));
    return { from: p.filters.from, to: p.filters.to, data };
  }
}
