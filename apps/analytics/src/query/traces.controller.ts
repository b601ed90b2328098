import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { GatewayError } from '@gatehouse/contracts';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { Caller, type AnalyticsCaller } from '../auth/analytics-caller';
import { queryTeam, traceTeam } from '../auth/analytics-scopes';
import { traceFromRow, type TraceRow } from '../rows/rows';
import { AnalyticsStore } from './analytics-store';
import { single, type RawQuery } from './params';
import { buildTraceDetailQuery, buildTraceVerdictsQuery, parseRequestId } from './trace-detail.query';
import { buildTracesQuery, encodeCursor, parseTracesParams } from './traces.query';

interface TraceListRow {
  request_id: string;
  ts_start: number;
  [column: string]: unknown;
}

@Controller('analytics')
@UseGuards(AuthzGuard)
export class TracesController {
  constructor(private readonly store: AnalyticsStore) {}

  @Get('traces')
  @Requires('analytics:read', queryTeam)
  async list(@Caller() caller: AnalyticsCaller, @Query() query: RawQuery) {
    const p = parseTracesParams(single(query));
    const rows = await this.store.rows<TraceListRow>(buildTracesQuery(p, caller, this.store.database));
    const page = rows.slice(0, p.limit);
    const last = page[page.length - 1];
    const next = rows.length > p.limit && last ? encodeCursor({ t: last.ts_start, id: last.request_id }) : null;
    return { data: page, next_cursor: next };
  }

  /** Another team's trace is a 403 naming the team; an unknown request id a 404. */
  @Get('traces/:request_id')
  @Requires('analytics:read', traceTeam)
  async detail(@Caller() caller: AnalyticsCaller, @Param('request_id') requestIdParam: string) {
    const requestId = parseRequestId(requestIdParam);
    const [row] = await this.store.rows<TraceRow>(buildTraceDetailQuery(requestId, caller, this.store.database));
    if (!row) throw new GatewayError(404, 'not_found_error', `no trace with request_id ${requestId}`, { param: 'request_id' });
    const verdicts = await this.store.rows(buildTraceVerdictsQuery(requestId, caller, this.store.database));
    return { ...traceFromRow(row), verdicts };
  }
}
