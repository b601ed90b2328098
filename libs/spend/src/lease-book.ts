import type { LeaseGrant, LeaseWant, ScopeLimits, ScopeState, SettleRequest } from './counters.port';

/**
 * Share of a scope's rpm (and tpm) one lease may hold. A lease is counted in the counters whether it
 * is used or not, so while a replica holds one, the others see up to this much less room: at most 1 %
 * of the limit per replica, for the rest of the second (then the unused part is given back). Limits
 * under 100 per minute never lease.
 */
export const LEASE_SHARE = 0.01;

/** A lease: requests and tokens reserved in the counters in second `sec` that this replica has not used yet. */
export interface Lease {
  sec: number;
  requests: number;
  tokens: number;
  /** The scopes' states the counters answered with the lease (they count all of it). */
  states: ScopeState[];
  scopes: ScopeLimits[];
}

/** One set of scopes (a key and its team, with their limits and budget period). */
interface Entry {
  /** The second `count` counts, and this replica's admissions in it and in the second before. */
  sec: number;
  count: number;
  prev: number;
  /** The highest cost of one request settled for these scopes (-1: none settled yet). */
  ceiling: number;
  /** An admission asking for a lease is with the counters. */
  asking: boolean;
  lease: Lease | null;
}

/**
 * A replica leases for a set of scopes only once it admitted this many of their requests in a second
 * (this one or the one before): a key used a few times a second makes one call per request, and its
 * usage never shows a lease's reservation.
 */
export const LEASE_MIN_RATE = 8;

/** Entries not used for this many seconds are dropped. */
const IDLE_SECONDS = 120;

/**
 * Quota leases of one replica (see LeaseWant in counters.port.ts). Once the replica is busy with a
 * set of scopes (LEASE_MIN_RATE), an admission that finds no lease asks the counters for itself plus
 * about as many requests as this replica admitted in the second before (twice this second's so far
 * when more), at most LEASE_SHARE of each rpm and tpm; the admissions after it, until the lease is used up, take from it without a call.
 * When the second ends, what is left is given back (a settlement of the lease's second), so a lease
 * never admits a request outside the second it was counted in, and the window's counts stay exact:
 * never more than rpm/tpm in any minute. A scope with a budget leases only once a request's cost is
 * known, at most half the rest of the budget at the highest cost seen.
 */
export class LeaseBook {
  private readonly entries = new Map<string, Entry>();
  private sweptAt = 0;

  constructor(
    private readonly giveBack: (req: SettleRequest) => Promise<void>,
    private readonly clock: () => number,
  ) {}

  static signature(scopes: readonly ScopeLimits[]): string {
    let sig = '';
    for (const s of scopes) sig += `${s.scope}/${s.rpm}/${s.tpm}/${s.budgetUsd}/${s.budgetCounter}|`;
    return sig;
  }

  /**
   * Counts an admission and takes it from this second's lease: the lease (its states count all of it;
   * its requests and tokens are what is still unused, for the headers), or null (ask the counters).
   */
  take(sig: string, sec: number, tokens: number): Lease | null {
    let e = this.entries.get(sig);
    if (!e) {
      this.sweep(sec);
      e = { sec, count: 0, prev: 0, ceiling: -1, asking: false, lease: null };
      this.entries.set(sig, e);
    }
    if (e.sec !== sec) {
      e.prev = e.sec === sec - 1 ? e.count : 0;
      e.count = 0;
      e.sec = sec;
    }
    e.count++;
    const l = e.lease;
    if (l === null || l.sec !== sec || l.requests < 1 || l.tokens < tokens) return null;
    l.requests--;
    l.tokens -= tokens;
    return l;
  }

  /**
   * The lease to ask for with an admission that take() did not serve, or undefined: one is being asked
   * already, this second's lease still has requests (but not this request's tokens), the limits are too
   * small, or a budget's request cost is not known yet.
   */
  want(sig: string, sec: number, scopes: readonly ScopeLimits[], tokens: number): LeaseWant | undefined {
    const e = this.entries.get(sig);
    if (!e || e.asking || (e.lease !== null && e.lease.sec === sec && e.lease.requests >= 1) || Math.max(e.prev, e.count) < LEASE_MIN_RATE) return undefined;
    let requests = Math.max(e.prev, 2 * e.count);
    let budget = false;
    for (const s of scopes) {
      if (s.rpm > 0) requests = Math.min(requests, Math.floor(s.rpm * LEASE_SHARE));
      if (s.tpm > 0 && tokens > 0) requests = Math.min(requests, Math.floor((s.tpm * LEASE_SHARE) / tokens));
      if (s.budgetUsd > 0) budget = true;
    }
    if (requests < 1 || (budget && e.ceiling < 0)) return undefined;
    e.asking = true;
    // a request of unpriced models only: a ceiling of a micro-dollar keeps the budget's rule in force
    return { requests, tokens: requests * tokens, costCeilingUsd: budget ? Math.max(e.ceiling, 1e-6) : 0 };
  }

  /** The counters answered the admission that asked (grant undefined: it was not admitted, or the call failed). */
  answered(sig: string, sec: number, scopes: ScopeLimits[], states: ScopeState[], grant: LeaseGrant | undefined): void {
    const e = this.entries.get(sig);
    if (!e) return;
    e.asking = false;
    if (!grant || grant.requests < 1) return;
    const lease: Lease = { sec, requests: grant.requests, tokens: grant.tokens, states, scopes };
    e.lease = lease;
    setTimeout(() => this.end(e, lease), Math.max(0, (sec + 1) * 1000 - this.clock()) + 1).unref();
  }

  /** A request of these scopes cost this much (its settlement). */
  observeCost(sig: string, costUsd: number): void {
    const e = this.entries.get(sig);
    if (e && costUsd > e.ceiling) e.ceiling = costUsd;
  }

  /** Gives back every lease now (shutdown). */
  endAll(): Array<Promise<void>> {
    const sent: Array<Promise<void>> = [];
    for (const e of this.entries.values()) if (e.lease) sent.push(this.end(e, e.lease));
    return sent;
  }

  /** The lease's second is over: what is left goes back to the counters. */
  private end(e: Entry, l: Lease): Promise<void> {
    if (e.lease === l) e.lease = null;
    if (l.requests === 0 && l.tokens === 0) return Promise.resolve();
    const back = { id: 'lease', admittedAt: l.sec * 1000, settledAt: this.clock(), estimatedTokens: l.tokens, actualTokens: 0, costUsd: 0, returnedRequests: l.requests, scopes: l.scopes };
    l.requests = 0;
    l.tokens = 0;
    return this.giveBack(back);
  }

  /** Drops the entries of scopes idle for IDLE_SECONDS (at most once a minute). */
  private sweep(sec: number): void {
    if (sec - this.sweptAt < 60) return;
    this.sweptAt = sec;
    for (const [sig, e] of this.entries) if (sec - e.sec > IDLE_SECONDS && !e.asking && e.lease === null) this.entries.delete(sig);
  }
}
