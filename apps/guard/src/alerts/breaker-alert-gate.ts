import type { AlertEvent } from '@gatehouse/contracts';

type BreakerAlert = Extract<AlertEvent, { kind: 'breaker_open' | 'breaker_closed' }>;

/** A replica that reported its breaker open and then said nothing for this long no longer holds the target open (it may have died). */
export const BREAKER_REPLICA_STALE_MS = 10 * 60_000;
/** Breaker events older than this (a fresh consumer group replaying the topic) update the state but are not delivered. */
export const BREAKER_ALERT_MAX_AGE_MS = 10 * 60_000;

/**
 * Turns the breaker transitions of every gateway process (each replica and standalone worker has
 * its own breakers) into one alert per outage of a target: `breaker_open` when the first process
 * opens it, `breaker_closed` when the last process that had it open closed it again (processes
 * silent for BREAKER_REPLICA_STALE_MS are not waited for; an outage whose processes all went silent
 * is told again at its next opening). The ingress
 * publishes breaker events keyed by target, so all of a target's events reach the same guard
 * consumer, in order.
 */
export class BreakerAlertGate {
  /** Per target told open: the replicas whose breaker is open, with the time of their last report. */
  private readonly open = new Map<string, Map<string, number>>();

  /** Whether this breaker event is delivered (the first opening, the last closing), else it is folded into the outage already told. */
  admit(a: BreakerAlert, now: number): boolean {
    const key = `${a.provider}/${a.model}`;
    const replicas = this.open.get(key);
    // Replicas quiet for too long no longer hold the target open: they may be gone.
    if (replicas) for (const [replica, at] of replicas) if (a.ts - at > BREAKER_REPLICA_STALE_MS) replicas.delete(replica);
    let tell: boolean;
    if (a.kind === 'breaker_open') {
      tell = !replicas || replicas.size === 0;
      if (replicas) replicas.set(a.replica, a.ts);
      else this.open.set(key, new Map([[a.replica, a.ts]]));
    } else {
      replicas?.delete(a.replica);
      tell = replicas !== undefined && replicas.size === 0;
      if (tell) this.open.delete(key);
    }
    return tell && now - a.ts <= BREAKER_ALERT_MAX_AGE_MS;
  }
}
