import type { AlertEvent } from '@gatehouse/contracts';

const usd = (n: number) => `${Math.round(n * 100) / 100} USD`;

/** One line for a human (the Slack message): what happened, to whom; ids and amounts only. */
export function alertText(a: AlertEvent): string {
  switch (a.kind) {
    case 'guardrail_deny': {
      const more = a.denies_since_last > 0 ? `; ${a.denies_since_last} more since the last alert` : '';
      return `Gatehouse: policy ${a.policy_id} (version ${a.policy_version}) denied request ${a.request_id} (team ${a.team ?? '-'}, model ${a.model ?? '-'}, checks ${a.checks.join(', ')})${more}`;
    }
    case 'budget_threshold':
      return `Gatehouse: ${a.scope} ${a.scope === 'key' ? a.key_id : a.team} reached ${a.threshold_pct} % of its ${usd(a.budget_usd)} ${a.period} budget (${usd(a.spent_usd)} spent)`;
    case 'breaker_open':
      return `Gatehouse: circuit breaker opened for ${a.provider}/${a.model}: ${a.reason}${a.replica ? ` (first seen by ${a.replica})` : ''}`;
    case 'breaker_closed':
      return `Gatehouse: circuit breaker closed again for ${a.provider}/${a.model}: ${a.reason}`;
  }
}

/** A target URL as the admin API shows it: its origin, the rest masked (Slack-style URLs carry their secret in the path). */
export function maskedUrl(url: string): string {
  const u = new URL(url);
  return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/***`;
}
