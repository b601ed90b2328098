import type { GroupBy } from './group-by';
import type { Filters } from './params';

/** A usage request: its filters and grouping (parsed by parseUsageParams). */
export interface UsageParams {
  filters: Filters;
  /** Dimensions to group by (none: one total row). */
  groupBy: GroupBy[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where one slice [from, to) of a usage query is read: raw traces, the hourly rollup or the daily rollup. */
export type UsageSource = 'traces' | 'usage_hourly' | 'usage_daily';
export interface UsageSegment {
  source: UsageSource;
  from: number;
  to: number;
}

/**
 * Splits the time range of a usage query into slices read from the cheapest exact source:
 * whole UTC days from usage_daily (team/model/provider), whole hours from usage_hourly (+ key),
 * the partial hours at the edges from raw traces. Status and metadata filters are not rollup
 * dimensions, nor is the error type: such a query reads raw traces only. Adjacent slices never overlap, so the sums add up.
 */
export function planUsage(p: UsageParams): UsageSegment[] {
  const { from, to, status, metadata, error_type } = p.filters;
  if (status || error_type !== undefined || metadata.length > 0 || p.groupBy.includes('error_type')) return [{ source: 'traces', from, to }];
  const dailyOk = p.filters.key_id === undefined && !p.groupBy.includes('key') && !p.groupBy.includes('hour');
  const out: UsageSegment[] = [];
  const add = (source: UsageSource, a: number, b: number) => {
    if (a < b) out.push({ source, from: a, to: b });
  };
  const h1 = Math.ceil(from / HOUR) * HOUR;
  const h2 = Math.floor(to / HOUR) * HOUR;
  if (h1 >= h2) return [{ source: 'traces', from, to }];
  const d1 = Math.ceil(from / DAY) * DAY;
  const d2 = Math.floor(to / DAY) * DAY;
  add('traces', from, h1);
  if (dailyOk && d1 < d2) {
    add('usage_hourly', h1, d1);
    add('usage_daily', d1, d2);
    add('usage_hourly', d2, h2);
  } else {
    add('usage_hourly', h1, h2);
  }
  add('traces', h2, to);
  return out;
}
