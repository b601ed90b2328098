import { hostname } from 'node:os';
import { AlertsTopic, type AlertEvent } from '@gatehouse/contracts';
import type { Bus } from '@gatehouse/bus';
import type { BreakerChange, TargetBoard } from '@gatehouse/routing';

/** This process as breaker alerts name it: breakers are per process. */
export const REPLICA = `${hostname()}:${process.pid}`;

/**
 * The alert of a breaker opening (from closed, or again after a failed probe) or closing; null for
 * the move to half-open. Carries the target, the breaker's reason and this process only: never the
 * upstream's error text (it may echo a request) nor a credential.
 */
export function breakerAlert(c: BreakerChange, replica = REPLICA): AlertEvent | null {
  if (c.to === 'half_open') return null;
  const slash = c.target.indexOf('/');
  const provider = slash < 0 ? c.target : c.target.slice(0, slash);
  const model = slash < 0 ? '' : c.target.slice(slash + 1);
  const common = { alert_id: `breaker:${c.target}:${c.to}:${replica}:${c.at}`, ts: c.at, policy_id: null, key_id: null, team: null, provider, model, reason: c.reason.slice(0, 500), replica };
  return c.to === 'open' ? { kind: 'breaker_open', ...common, cooldown_s: null } : { kind: 'breaker_closed', ...common };
}

/**
 * Publishes this process's breaker transitions on gatehouse.alerts.v1 (never awaited), keyed by
 * target so one guard consumer sees all of a target's events in order and tells one opening and one
 * closing per outage, however many processes tripped (apps/guard BreakerAlertGate).
 */
export function publishBreakerAlerts(board: TargetBoard, bus: Bus): () => void {
  return board.onChange((c) => {
    const alert = breakerAlert(c);
    if (alert) bus.publish(AlertsTopic, `breaker:${c.target}`, alert);
  });
}
