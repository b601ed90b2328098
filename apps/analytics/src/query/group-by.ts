import { z } from 'zod';

/** group_by values and the traces column expression each one reads (a fixed map: never user text). */
export const TRACE_GROUPS = {
  model: 'model_requested',
  provider: 'provider',
  team: 'team',
  key: 'key_id',
  error_type: 'error_type',
  day: "toStartOfDay(ts_start, 'UTC')",
  hour: "toStartOfHour(ts_start, 'UTC')",
} as const;
export type GroupBy = keyof typeof TRACE_GROUPS;

const GROUP_NAMES = Object.keys(TRACE_GROUPS) as [GroupBy, ...GroupBy[]];

export const isTimeGroup = (g: GroupBy) => g === 'day' || g === 'hour';

/**
 * group_by: one dimension, or two separated by a comma (e.g. `hour,model`: a time series per model);
 * at most one of them a time bucket. Parsed to the list of dimensions, in the order given.
 */
export const GroupBySchema = z.string().transform((s, ctx): GroupBy[] => {
  const gs = s.split(',');
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  if (gs.length > 2) return fail('at most two dimensions separated by a comma');
  const unknown = gs.find((g) => !(GROUP_NAMES as string[]).includes(g));
  if (unknown !== undefined) return fail(`expected one or two of ${GROUP_NAMES.join(', ')} separated by a comma, got "${unknown.slice(0, 40)}"`);
  const dims = gs as GroupBy[];
  if (dims.length === 2 && dims[0] === dims[1]) return fail(`"${dims[0]}" is given twice`);
  if (dims.filter(isTimeGroup).length > 1) return fail('at most one of day and hour');
  return dims;
});

/** The SELECT expression of group column g read from expr, rendered for JSON (times as ISO-8601). */
export function groupSelect(g: GroupBy, expr: string = TRACE_GROUPS[g]): string {
  return isTimeGroup(g) ? `formatDateTime(${expr}, '%Y-%m-%dT%H:%i:%SZ', 'UTC')` : expr;
}

/** ORDER BY of a grouped result: time buckets ascending first, then the given measure. */
export function groupOrder(groups: GroupBy[], measure: string): string {
  const time = groups.find(isTimeGroup);
  return time ? `${time} ASC, ${measure}` : measure;
}
