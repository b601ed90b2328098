import { AlertEventSchema } from '@gatehouse/contracts';
import { budgetAlert } from './budget-alert';

describe('budgetAlert', () => {
  it('names scope, period and threshold in its id (a crossing told twice is one alert) and fits the contract', () => {
    const c = { kind: 'team' as const, id: 'red', team: 'red', thresholdPct: 100 as const, budgetUsd: 5, spentUsd: 5.01, period: 'month' as const, periodStart: 1764547200000 };
    const a = budgetAlert(c, 1);
    expect(a).toEqual(AlertEventSchema.parse(a));
    expect(a).toMatchObject({ alert_id: 'budget:team:red:1764547200000:100', key_id: null, team: 'red', scope: 'team', threshold_pct: 100 });
    expect(budgetAlert(c, 2).alert_id).toBe(a.alert_id);
  });
});
