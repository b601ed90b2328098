import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { KeyDirectory, TeamDirectory } from '@gatehouse/keys';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { Caller, type AnalyticsCaller } from '../auth/analytics-caller';
import { queryTeam } from '../auth/analytics-scopes';
import { AnalyticsStore } from './analytics-store';
import { budgetUse } from './budget-use';
import { single, type RawQuery } from './params';
import { buildUsageQuery, parseUsageParams } from './usage.query';

@Controller('analytics')
@UseGuards(AuthzGuard)
export class UsageController {
  constructor(
    private readonly store: AnalyticsStore,
    private readonly keys: KeyDirectory,
    private readonly teams: TeamDirectory,
  ) {}

  /** Grouped by key or team (alone or with another dimension), every row also carries `budget`: that key's or team's budget use in its current period (null without a budget). */
  @Get('usage')
  @Requires('analytics:read', queryTeam)
  async usage(@Caller() caller: AnalyticsCaller, @Query() query: RawQuery) {
    const p = parseUsageParams(single(query));
    const data = await this.store.rows<Record<string, unknown>>(buildUsageQuery(p, caller, this.store.database));
    const g = p.groupBy.includes('key') ? 'key' : p.groupBy.includes('team') ? 'team' : null;
    if (g) {
      const subjectOf = g === 'key' ? (id: string) => this.keys.get(id) : (id: string) => this.teams.get(id);
      const use = await budgetUse([...new Set(data.map((r) => String(r[g])))], g, subjectOf, caller, this.store);
      for (const r of data) r.budget = use.get(String(r[g])) ?? null;
    }
    return { from: p.filters.from, to: p.filters.to, group_by: p.groupBy.join(',') || null, data };
  }
}
