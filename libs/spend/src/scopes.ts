import type { BudgetPeriod } from '@gatehouse/contracts';
import type { ScopeLimits } from './counters.port';
import { counterExpiry, periodAt, type PeriodWindow } from './periods';

/** The limit fields a key record and a team record share (null = no limit). */
export interface LimitSubject {
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: BudgetPeriod;
}

export type ScopeKind = 'key' | 'team';

export const hasLimits = (s: LimitSubject | undefined): s is LimitSubject =>
  s !== undefined && (s.rpm !== null || s.tpm !== null || s.budget_usd !== null);

/** A key's or a team's counters at `now`: "k:<id>" / "t:<team>", budget counter per period. */
export function scopeLimits(kind: ScopeKind, id: string, s: LimitSubject, now: number): { limits: ScopeLimits; period: PeriodWindow | null } {
  const scope = `${kind === 'key' ? 'k' : 't'}:${id}`;
  const period = s.budget_usd !== null ? periodAt(s.budget_period, now) : null;
  return {
    limits: {
      scope,
      rpm: s.rpm ?? 0,
      tpm: s.tpm ?? 0,
      budgetUsd: s.budget_usd ?? 0,
      budgetCounter: period ? `${scope}:${period.id}` : '',
      budgetExpireAt: period ? counterExpiry(period) : 0,
    },
    period,
  };
}
