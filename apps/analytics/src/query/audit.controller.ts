import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { Caller, type AnalyticsCaller } from '../auth/analytics-caller';
import { queryTeam } from '../auth/analytics-scopes';
import { auditFromRow, type AuditRow } from '../rows/audit-row';
import { AnalyticsStore } from './analytics-store';
import { buildAuditQuery, parseAuditParams } from './audit.query';
import { single, type RawQuery } from './params';
import { encodeCursor } from './traces.query';

/** GET /analytics/audit: who changed what (admins: every event; team-admins: their teams' events), newest first, paged. Read-only: nothing in the API writes or deletes audit rows. */
@Controller('analytics')
@UseGuards(AuthzGuard)
export class AuditController {
  constructor(private readonly store: AnalyticsStore) {}

  @Get('audit')
  @Requires('audit:read', queryTeam)
  async list(@Caller() caller: AnalyticsCaller, @Query() query: RawQuery) {
    const p = parseAuditParams(single(query));
    const rows = await this.store.rows<AuditRow>(buildAuditQuery(p, caller, this.store.database));
    const page = rows.slice(0, p.limit).map(auditFromRow);
    const last = page[page.length - 1];
    const next = rows.length > p.limit && last ? encodeCursor({ t: last.ts, id: last.event_id }) : null;
    return { data: page, next_cursor: next };
  }
}
