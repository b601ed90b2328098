import type { TeamConfig } from '@gatehouse/config';
import type { TeamRecord } from '@gatehouse/contracts';

export function recordFromConfigTeam(name: string, t: TeamConfig, now: number): TeamRecord {
  return {
    name,
    rpm: t.rpm ?? null,
    tpm: t.tpm ?? null,
    budget_usd: t.budget_usd ?? null,
    budget_period: t.budget_period ?? 'month',
    alerts: t.alerts,
    updated_at: now,
    source: 'config',
  };
}

/** A config team is republished only when its limits changed, so a PUT through the admin API survives restarts with the same config. */
export function configTeamChanged(current: TeamRecord | undefined, fromConfig: TeamRecord): boolean {
  if (!current) return true;
  if (current.source === 'admin') return false;
  return (['rpm', 'tpm', 'budget_usd', 'budget_period', 'alerts'] as const).some((f) => JSON.stringify(current[f]) !== JSON.stringify(fromConfig[f]));
}
