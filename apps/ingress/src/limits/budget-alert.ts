import { AlertsTopic, type AlertEvent } from '@gatehouse/contracts';
import type { Bus } from '@gatehouse/bus';
import type { BudgetCrossing } from '@gatehouse/spend';

/**
 * The alert of a budget crossing. Its id names the scope, period and threshold, so a crossing told
 * twice (two replicas settling at once) is delivered once.
 */
export function budgetAlert(c: BudgetCrossing, now = Date.now()): AlertEvent {
  return {
    kind: 'budget_threshold',
    alert_id: `budget:${c.kind}:${c.id}:${c.periodStart}:${c.thresholdPct}`,
    ts: now,
    policy_id: null,
    key_id: c.kind === 'key' ? c.id : null,
    team: c.team,
    scope: c.kind,
    threshold_pct: c.thresholdPct,
    budget_usd: c.budgetUsd,
    spent_usd: c.spentUsd,
    period: c.period,
    period_start: c.periodStart,
  };
}

/** Publishes budget crossings on gatehouse.alerts.v1 (never awaited). */
export const publishBudgetAlerts = (bus: Bus) => (c: BudgetCrossing): void => {
  const alert = budgetAlert(c);
  bus.publish(AlertsTopic, alert.alert_id, alert);
};
