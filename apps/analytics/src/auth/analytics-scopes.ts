import type { AuthRequest, TeamResolver } from '@gatehouse/auth';
import { AnalyticsStore } from '../query/analytics-store';
import { buildTraceTeamQuery, parseRequestId } from '../query/trace-detail.query';

/** The team a list asks for with `?team=` (undefined: the caller's own teams). */
export const queryTeam: TeamResolver = (req: AuthRequest) => {
  const t = req.query?.team;
  return typeof t === 'string' && t !== '' ? t : undefined;
};

/** The team of the trace in the URL (undefined when there is no such trace: the route answers 404). */
export const traceTeam: TeamResolver = async (req, ref) => {
  const store = ref.get(AnalyticsStore, { strict: false });
  const id = parseRequestId(req.params?.request_id ?? '');
  const [row] = await store.rows<{ team: string }>(buildTraceTeamQuery(id, store.database));
  return row?.team;
};
