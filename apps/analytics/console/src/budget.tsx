import { Bar } from './charts';
import { fmtPct, fmtUsd } from './format';

/** GET /admin/keys/:id/usage and /admin/teams/:team/usage: the limits and the current period's spend. */
export interface BudgetUse {
  budget: { spent_usd: number; remaining_usd: number; period: string; exhausted: boolean } | null;
  limits: { budget_usd: number | null };
}

/** Spend of the current period against the budget, with a bar (red once exhausted). */
export function BudgetCell({ use }: { use: BudgetUse | null }) {
  if (!use?.budget || use.limits.budget_usd === null) return <span class="muted">no budget</span>;
  const { spent_usd } = use.budget;
  return (
    <span>
      {fmtUsd(spent_usd)} of {fmtUsd(use.limits.budget_usd)} / {use.budget.period} ({fmtPct(spent_usd, use.limits.budget_usd)})
      <Bar value={spent_usd} max={use.limits.budget_usd} color={use.budget.exhausted ? 3 : 2} />
    </span>
  );
}
