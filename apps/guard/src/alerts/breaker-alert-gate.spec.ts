import type { AlertEvent } from '@gatehouse/contracts';
import { BREAKER_REPLICA_STALE_MS, BreakerAlertGate } from './breaker-alert-gate';

const event = (kind: 'breaker_open' | 'breaker_closed', replica: string, ts: number, model = 'gpt-4o'): AlertEvent =>
  kind === 'breaker_open'
    ? { kind, alert_id: `${kind}:${replica}:${ts}`, ts, policy_id: null, key_id: null, team: null, provider: 'openai', model, reason: '5 consecutive failures', cooldown_s: null, replica }
    : { kind, alert_id: `${kind}:${replica}:${ts}`, ts, policy_id: null, key_id: null, team: null, provider: 'openai', model, reason: 'probe succeeded', replica };
const admit = (gate: BreakerAlertGate, a: AlertEvent) => gate.admit(a as Extract<AlertEvent, { kind: 'breaker_open' | 'breaker_closed' }>, a.ts);

describe('breaker alerts across replicas', () => {
  it('tells one opening and one closing per outage, however many replicas opened their breaker', () => {
    const gate = new BreakerAlertGate();
    expect(admit(gate, event('breaker_open', 'a', 1000))).toBe(true);
    expect(admit(gate, event('breaker_open', 'b', 1100))).toBe(false);
    // A re-opening after a failed probe is the same outage.
    expect(admit(gate, event('breaker_open', 'a', 31_000))).toBe(false);
    expect(admit(gate, event('breaker_closed', 'a', 61_000))).toBe(false);
    expect(admit(gate, event('breaker_closed', 'b', 62_000))).toBe(true);
    // A closing nobody was told the opening of (a replica's own flap after the outage ended) is not told.
    expect(admit(gate, event('breaker_closed', 'b', 63_000))).toBe(false);
    // The next outage is told again.
    expect(admit(gate, event('breaker_open', 'b', 90_000))).toBe(true);
  });

  it('keeps targets apart', () => {
    const gate = new BreakerAlertGate();
    expect(admit(gate, event('breaker_open', 'a', 1000, 'gpt-4o'))).toBe(true);
    expect(admit(gate, event('breaker_open', 'a', 1000, 'gpt-4o-mini'))).toBe(true);
    expect(admit(gate, event('breaker_closed', 'a', 2000, 'gpt-4o-mini'))).toBe(true);
  });

  it('does not wait for a replica that went quiet while open (it may have died) before telling the closing', () => {
    const gate = new BreakerAlertGate();
    admit(gate, event('breaker_open', 'dead', 0));
    admit(gate, event('breaker_open', 'live', 1000));
    expect(admit(gate, event('breaker_closed', 'live', BREAKER_REPLICA_STALE_MS / 2))).toBe(false);
    admit(gate, event('breaker_open', 'live', BREAKER_REPLICA_STALE_MS / 2 + 1));
    expect(admit(gate, event('breaker_closed', 'live', BREAKER_REPLICA_STALE_MS + 1000))).toBe(true);
  });

  it('follows old events replayed from the topic without delivering them', () => {
    const gate = new BreakerAlertGate();
    const old = event('breaker_open', 'a', 0);
    expect(gate.admit(old as Extract<AlertEvent, { kind: 'breaker_open' }>, 3_600_000)).toBe(false);
    // An hour later the replayed replica is long silent: a fresh opening is a new outage.
    expect(admit(gate, event('breaker_open', 'b', 3_600_000))).toBe(true);
    expect(admit(gate, event('breaker_open', 'a', 3_600_001))).toBe(false);
  });
});
