import type { BudgetPeriod } from '@gatehouse/contracts';
import { periodAt } from '@gatehouse/spend';
import type { AnalyticsCaller } from '../auth/analytics-caller';
import type { AnalyticsStore } from './analytics-store';
import { buildUsageQuery } from './usage.query';

/** The limit fields of a key record or a team record that matter here. */
export interface BudgetSubject {
  budget_usd: number | null;
  budget_period: BudgetPeriod;
}

/** A key's or team's budget and its use in the current period, as recorded in the traces. */
export interface BudgetUse {
  budget_usd: number;
  period: BudgetPeriod;
  period_start: string;
  /** Exclusive end of the period; null for `total`. */
  period_end: string | null;
  spent_usd: number;
  remaining_usd: number;
  /** spent / budget × 100, two decimals (may pass 100: the overshoot of requests in flight). */
  used_pct: number;
}

/** Traces that start a little in the future of this process's clock (replica clock skew) still count. */
export const SKEW_MS = 60_000;

const round9 = (n: number) => Math.round(n * 1e9) / 1e9;

/**
 * For usage rows grouped by key or team: the budget of each row's key or team and what it spent in
 * its current budget period (whatever the query's from/to), read from the same deduplicated traces
 * and rollups as /analytics/usage; null for a key or team without a budget. One query per distinct
 * period start (at most three: today, this month, total), scoped to the caller like the rows.
 */
export async function budgetUse(
  ids: readonly string[],
  groupBy: 'key' | 'team',
  subjectOf: (id: string) => BudgetSubject | undefined,
  caller: AnalyticsCaller,
  store: AnalyticsStore,
  now = Date.now(),
): Promise<Map<string, BudgetUse | null>> {
  const out = new Map<string, BudgetUse | null>();
  const byStart = new Map<number, Array<{ id: string; s: BudgetSubject; end: number | null }>>();
  for (const id of ids) {
    const s = subjectOf(id);
    if (!s || s.budget_usd === null) {
      out.set(id, null);
      continue;
    }
    const p = periodAt(s.budget_period, now);
    const list = byStart.get(p.start) ?? [];
    list.push({ id, s, end: p.end });
    byStart.set(p.start, list);
  }
  for (const [start, list] of byStart) {
    const filters = { from: start, to: now + SKEW_MS, metadata: [] as [string, string][] };
    const rows = await store.rows<Record<string, unknown> & { cost_usd: number | null }>(buildUsageQuery({ filters, groupBy: [groupBy] }, caller, store.database));
    const spentBy = new Map(rows.map((r) => [String(r[groupBy]), Number(r.cost_usd ?? 0)]));
    for (const { id, s, end } of list) {
      const budget = s.budget_usd!;
      const spent = round9(spentBy.get(id) ?? 0);
      out.set(id, {
        budget_usd: budget,
        period: s.budget_period,
        period_start: new Date(start).toISOString(),
        period_end: end === null ? null : new Date(end).toISOString(),
        spent_usd: spent,
        remaining_usd: round9(Math.max(0, budget - spent)),
        used_pct: Math.round((spent / budget) * 10_000) / 100,
      });
    }
  }
  return out;
}
