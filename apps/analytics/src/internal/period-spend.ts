import type { ScopeKind } from '@gatehouse/spend';
import type { AnalyticsStore } from '../query/analytics-store';
import { SKEW_MS } from '../query/budget-use';
import { buildUsageQuery } from '../query/usage.query';

/** USD a key or team spent since `from`, read the way /analytics/usage reads it (rollups + raw traces, deduplicated). */
export async function periodSpend(store: AnalyticsStore, kind: ScopeKind, id: string, from: number, now = Date.now()): Promise<number> {
  const filters = { from, to: Math.max(now + SKEW_MS, from + 1), metadata: [] as [string, string][], ...(kind === 'key' ? { key_id: id } : { team: id }) };
  const rows = await store.rows<{ cost_usd: number | null }>(buildUsageQuery({ filters, groupBy: [] }, { kind: 'admin' }, store.database));
  return Number(rows[0]?.cost_usd ?? 0);
}
