import type { BreakerConfig } from '@gatehouse/config';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** One transition of one target's breaker. */
export interface BreakerChange {
  /** "<provider>/<upstream model>". */
  target: string;
  from: BreakerState;
  to: BreakerState;
  /** Epoch milliseconds. */
  at: number;
  /** Why: "5 consecutive failures", "failure rate 0.62 over 30 s", "cooldown elapsed", "probe succeeded", "probe failed". */
  reason: string;
  /** The failure that caused an opening (null for other transitions). */
  last_error: string | null;
}

/** Told about every state change (metrics, logs, alerts). Called synchronously; must not throw or block. */
export type BreakerListener = (change: BreakerChange) => void;

/** What admit() decided: no (skip the target), yes, or yes as one of the half-open probes. */
export const Admission = { Rejected: 0, Admitted: 1, Probe: 2 } as const;
export type Admission = (typeof Admission)[keyof typeof Admission];

/**
 * A per-target circuit breaker: opens after `failures` consecutive failures or when the failure
 * ratio over the last `window_s` seconds reaches `failure_rate` (with at least `min_requests`);
 * after `cooldown_s` it lets `half_open_probes` requests through; a probe's success closes it, a
 * probe's failure opens it again. State lives in this process only.
 */
export class CircuitBreaker {
  state: BreakerState = 'closed';
  /** When it last opened (epoch ms; 0 = never). */
  openedAt = 0;
  private consecutive = 0;
  private probes = 0;
  private bucketSec: Float64Array;
  private okCount: Uint32Array;
  private failCount: Uint32Array;

  constructor(
    readonly target: string,
    private settings: BreakerConfig,
    private readonly notify: BreakerListener,
    private readonly now: () => number = Date.now,
  ) {
    this.bucketSec = new Float64Array(settings.window_s).fill(-1);
    this.okCount = new Uint32Array(settings.window_s);
    this.failCount = new Uint32Array(settings.window_s);
  }

  /** Takes new settings (a config reload); the window restarts when its length changed. */
  configure(settings: BreakerConfig): void {
    if (settings === this.settings) return;
    if (settings.window_s !== this.settings.window_s) {
      this.bucketSec = new Float64Array(settings.window_s).fill(-1);
      this.okCount = new Uint32Array(settings.window_s);
      this.failCount = new Uint32Array(settings.window_s);
    }
    this.settings = settings;
  }

  admit(): Admission {
    if (this.state === 'closed') return Admission.Admitted;
    if (this.state === 'open') {
      if (this.now() - this.openedAt < this.settings.cooldown_s * 1000) return Admission.Rejected;
      this.move('half_open', 'cooldown elapsed', null);
    }
    if (this.probes >= this.settings.half_open_probes) return Admission.Rejected;
    this.probes++;
    return Admission.Probe;
  }

  /** Whether admit() would let a request through now, without taking a probe or changing state. */
  wouldAdmit(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') return this.now() - this.openedAt >= this.settings.cooldown_s * 1000 && this.settings.half_open_probes > 0;
    return this.probes < this.settings.half_open_probes;
  }

  /** Admits even while open: the caller tries this target because every other one is open too. */
  force(): Admission {
    const a = this.admit();
    if (a !== Admission.Rejected) return a;
    this.probes++;
    return Admission.Probe;
  }

  success(admission: Admission): void {
    this.count(true);
    this.consecutive = 0;
    if (admission === Admission.Probe) {
      this.probes = Math.max(0, this.probes - 1);
      if (this.state !== 'closed') this.move('closed', 'probe succeeded', null);
    }
  }

  failure(admission: Admission, error: string): void {
    this.count(false);
    this.consecutive++;
    if (admission === Admission.Probe) {
      this.probes = Math.max(0, this.probes - 1);
      this.open('probe failed', error);
      return;
    }
    if (this.state !== 'closed') return;
    if (this.consecutive >= this.settings.failures) {
      this.open(`${this.consecutive} consecutive failures`, error);
      return;
    }
    const { ok, failed } = this.window();
    const total = ok + failed;
    if (total >= this.settings.min_requests && failed / total >= this.settings.failure_rate) {
      this.open(`failure rate ${(failed / total).toFixed(2)} over ${this.settings.window_s} s`, error);
    }
  }

  /** An admitted request that ended without an outcome (the client left, the request could not be built). */
  release(admission: Admission): void {
    if (admission === Admission.Probe) this.probes = Math.max(0, this.probes - 1);
  }

  /** Successes and failures of the last window_s seconds. */
  window(): { ok: number; failed: number } {
    const sec = Math.floor(this.now() / 1000);
    let ok = 0;
    let failed = 0;
    for (let i = 0; i < this.bucketSec.length; i++) {
      if (sec - this.bucketSec[i] < this.bucketSec.length) {
        ok += this.okCount[i];
        failed += this.failCount[i];
      }
    }
    return { ok, failed };
  }

  private count(ok: boolean): void {
    const sec = Math.floor(this.now() / 1000);
    const i = sec % this.bucketSec.length;
    if (this.bucketSec[i] !== sec) {
      this.bucketSec[i] = sec;
      this.okCount[i] = 0;
      this.failCount[i] = 0;
    }
    if (ok) this.okCount[i]++;
    else this.failCount[i]++;
  }

  private open(reason: string, error: string): void {
    this.openedAt = this.now();
    if (this.state !== 'open') this.move('open', reason, error);
  }

  private move(to: BreakerState, reason: string, error: string | null): void {
    const from = this.state;
    this.state = to;
    if (to === 'closed') this.consecutive = 0;
    if (to !== 'half_open') this.probes = 0;
    this.notify({ target: this.target, from, to, at: this.now(), reason, last_error: error });
  }
}
