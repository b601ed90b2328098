import { z } from 'zod';

/** group_by values and the traces column expression each one reads (a fixed map: never user text). */
export const TRACE_GROUPS = {
  model: 'model_requested',
  provider: 'provider',
  team: 'team',
  key: 'key_id',
  day: "toStartOfDay(ts_start, 'UTC')",
  hour: "toStartOfHour(ts_start, 'UTC')",
} as const;
export type GroupBy = keyof typeof TRACE_GROUPS;

export const GroupBySchema = z.enum(Object.keys(TRACE_GROUPS) as [GroupBy, ...GroupBy[]]);

export const isTimeGroup = (g: GroupBy) => g === 'day' || g === 'hour';

/** The SELECT expression of the group column, rendered for JSON (times as ISO-8601). */
export function groupSelect(g: GroupBy, exprs: Record<GroupBy, string> = TRACE_GROUPS): string {
  const e = exprs[g];
  return isTimeGroup(g) ? `formatDateTime(${e}, '%Y-%m-%dT%H:%i:%SZ', 'UTC')` : e;
}
