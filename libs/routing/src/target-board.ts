import type { BreakerConfig } from '@gatehouse/config';
import { CircuitBreaker, type BreakerListener, type BreakerState } from './circuit-breaker';
import { LatencyStats } from './latency-stats';

/** What GET /admin/targets shows of one target. */
export interface TargetView {
  target: string;
  state: BreakerState;
  opened_at: string | null;
  /** Moving average of successful attempts' latency (ms); null before the first one. */
  latency_ms: number | null;
  /** Failed / all attempts over the breaker window; null when the window is empty. */
  error_rate: number | null;
  requests_in_window: number;
  last_error: { message: string; at: string } | null;
}

interface Entry {
  breaker: CircuitBreaker;
  lastError: string | null;
  lastErrorAt: number;
}

/**
 * Health of every upstream target this process has used: its breaker, latency and last error.
 * Per process: each replica (and each standalone worker) learns and trips its breakers on its own.
 */
export class TargetBoard {
  readonly latency = new LatencyStats();
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: BreakerListener[] = [];
  private readonly fanOut: BreakerListener = (change) => {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // a listener's failure must not break routing
      }
    }
  };

  constructor(private readonly now: () => number = Date.now) {}

  /** Registers a listener for breaker state changes (metrics, logs, alerts); returns its removal. */
  onChange(listener: BreakerListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  breaker(target: string, settings: BreakerConfig): CircuitBreaker {
    let e = this.entries.get(target);
    if (!e) {
      e = { breaker: new CircuitBreaker(target, settings, this.fanOut, this.now), lastError: null, lastErrorAt: 0 };
      this.entries.set(target, e);
    } else e.breaker.configure(settings);
    return e.breaker;
  }

  /** A failed attempt's message, kept for GET /admin/targets. */
  noteError(target: string, message: string): void {
    const e = this.entries.get(target);
    if (!e) return;
    e.lastError = message;
    e.lastErrorAt = this.now();
  }

  view(): TargetView[] {
    const out: TargetView[] = [];
    for (const [target, e] of this.entries) {
      const { ok, failed } = e.breaker.window();
      const latency = this.latency.score(target);
      out.push({
        target,
        state: e.breaker.state,
        opened_at: e.breaker.openedAt ? new Date(e.breaker.openedAt).toISOString() : null,
        latency_ms: this.latency.has(target) ? Math.round(latency * 1000) / 1000 : null,
        error_rate: ok + failed ? Math.round((failed / (ok + failed)) * 10_000) / 10_000 : null,
        requests_in_window: ok + failed,
        last_error: e.lastError === null ? null : { message: e.lastError, at: new Date(e.lastErrorAt).toISOString() },
      });
    }
    return out.sort((a, b) => (a.target < b.target ? -1 : 1));
  }
}
