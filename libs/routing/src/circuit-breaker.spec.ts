import { BREAKER_DEFAULTS } from '@gatehouse/config';
import { Admission, CircuitBreaker, type BreakerChange } from './circuit-breaker';

function breaker(overrides: Partial<typeof BREAKER_DEFAULTS> = {}) {
  let now = 1_000_000;
  const changes: BreakerChange[] = [];
  const b = new CircuitBreaker('p/m', { ...BREAKER_DEFAULTS, ...overrides }, (c) => changes.push(c), () => now);
  return { b, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and rejects until the cooldown elapsed', () => {
    const { b, changes, advance } = breaker({ failures: 3, cooldown_s: 10 });
    b.failure(b.admit(), 'e1');
    b.success(b.admit());
    b.failure(b.admit(), 'e2');
    b.failure(b.admit(), 'e3');
    expect(b.state).toBe('closed');
    b.failure(b.admit(), 'e4');
    expect(b.state).toBe('open');
    expect(changes).toEqual([{ target: 'p/m', from: 'closed', to: 'open', at: 1_000_000, reason: '3 consecutive failures', last_error: 'e4' }]);
    expect(b.admit()).toBe(Admission.Rejected);
    advance(9_999);
    expect(b.admit()).toBe(Admission.Rejected);
  });

  it('tells whether it would admit without taking a probe or leaving open', () => {
    const { b, advance } = breaker({ failures: 1, cooldown_s: 10, half_open_probes: 1 });
    expect(b.wouldAdmit()).toBe(true);
    b.failure(b.admit(), 'boom');
    expect(b.wouldAdmit()).toBe(false);
    advance(10_000);
    expect(b.wouldAdmit()).toBe(true);
    expect(b.state).toBe('open');
    const probe = b.admit();
    expect(probe).toBe(Admission.Probe);
    expect(b.wouldAdmit()).toBe(false);
    b.success(probe);
    expect(b.wouldAdmit()).toBe(true);
  });

  it('opens on the failure rate over the window once min_requests were seen', () => {
    const { b } = breaker({ failures: 100, failure_rate: 0.5, min_requests: 10, window_s: 5 });
    for (let i = 0; i < 4; i++) {
      b.success(b.admit());
      b.failure(b.admit(), 'x');
    }
    expect(b.state).toBe('closed');
    b.success(b.admit());
    b.failure(b.admit(), 'x');
    expect(b.state).toBe('open');
    expect(b.window()).toEqual({ ok: 5, failed: 5 });
  });

  it('forgets outcomes older than the window', () => {
    const { b, advance } = breaker({ failures: 100, min_requests: 4, window_s: 2 });
    for (let i = 0; i < 3; i++) b.failure(b.admit(), 'old');
    advance(2_500);
    b.failure(b.admit(), 'new');
    expect(b.window()).toEqual({ ok: 0, failed: 1 });
    expect(b.state).toBe('closed');
  });

  it('half-opens after the cooldown with a limited number of probes; a probe success closes, a failure reopens', () => {
    const { b, changes, advance } = breaker({ failures: 1, cooldown_s: 1, half_open_probes: 2 });
    b.failure(b.admit(), 'down');
    advance(1_000);
    const p1 = b.admit();
    const p2 = b.admit();
    expect([p1, p2, b.admit()]).toEqual([Admission.Probe, Admission.Probe, Admission.Rejected]);
    expect(b.state).toBe('half_open');
    b.failure(p1, 'still down');
    expect(b.state).toBe('open');
    advance(1_000);
    b.success(b.admit());
    expect(b.state).toBe('closed');
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['closed>open', 'open>half_open', 'half_open>open', 'open>half_open', 'half_open>closed']);
  });

  it('frees a probe slot when an admitted probe ends without an outcome', () => {
    const { b, advance } = breaker({ failures: 1, cooldown_s: 1, half_open_probes: 1 });
    b.failure(b.admit(), 'down');
    advance(1_000);
    const probe = b.admit();
    expect(b.admit()).toBe(Admission.Rejected);
    b.release(probe);
    expect(b.admit()).toBe(Admission.Probe);
  });

  it('force() lets one request through an open breaker (every target of a model is open)', () => {
    const { b } = breaker({ failures: 1, cooldown_s: 60 });
    b.failure(b.admit(), 'down');
    expect(b.admit()).toBe(Admission.Rejected);
    const forced = b.force();
    expect(forced).toBe(Admission.Probe);
    b.success(forced);
    expect(b.state).toBe('closed');
  });
});
