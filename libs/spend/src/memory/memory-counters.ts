import { WINDOW_MS, type AdmitRequest, type AdmitResult, type BudgetHit, type LeaseGrant, type ScopeLimits, type ScopeState, type SettleRequest, type SpendCounters } from '../counters.port';

const SECONDS = WINDOW_MS / 1000;
const THRESHOLDS = [80, 100] as const;

interface Bucket {
  sec: number;
  requests: number;
  tokens: number;
}

interface Window {
  /** Seconds that saw an admission, oldest first. */
  buckets: Bucket[];
  requests: number;
  tokens: number;
}

interface Budget {
  spent: number;
  seeded: boolean;
  expireAt: number;
  /** Thresholds already told this period. */
  told: Set<number>;
}

/**
 * The counters in this process's memory, with the semantics of the Redis script (counters.port.ts,
 * redis/scripts.ts). Used by single-process standalone, and by the standalone primary on behalf of its
 * workers (IPC), so the limits hold across GATEHOUSE_WORKERS. A restart loses them: budgets are
 * re-seeded like after a Redis FLUSHALL.
 */
export class MemoryCounters implements SpendCounters {
  private readonly windows = new Map<string, Window>();
  private readonly budgets = new Map<string, Budget>();

  async admit(req: AdmitRequest): Promise<AdmitResult> {
    return this.admitNow(req);
  }

  admitNow(req: AdmitRequest): AdmitResult {
    const states = req.scopes.map((s) => this.state(s, req.now));
    for (let i = 0; i < req.scopes.length; i++) {
      const s = req.scopes[i];
      const st = states[i];
      if (s.budgetUsd > 0 && !st.seeded) return { kind: 'unseeded', scope: i };
      if (s.rpm > 0 && st.requests + 1 > s.rpm) {
        return { kind: 'rejected', scope: i, reason: 'rpm', retryAfterMs: st.oldestMs! + WINDOW_MS - req.now, states };
      }
      if (s.tpm > 0 && st.tokens + req.tokens > s.tpm) {
        return { kind: 'rejected', scope: i, reason: 'tpm', retryAfterMs: this.tokensFreeIn(s, st.tokens + req.tokens - s.tpm, req), states };
      }
      if (s.budgetUsd > 0 && st.spentUsd >= s.budgetUsd) return { kind: 'rejected', scope: i, reason: 'budget', retryAfterMs: null, states };
    }
    const leased = req.lease ? grantLease(req, states) : undefined;
    const units = 1 + (leased?.requests ?? 0);
    const tokens = req.tokens + (leased?.tokens ?? 0);
    const sec = Math.floor(req.now / 1000);
    for (let i = 0; i < req.scopes.length; i++) {
      const s = req.scopes[i];
      if (!(s.rpm > 0 || s.tpm > 0)) continue;
      const w = this.window(s.scope);
      const b = bucketAt(w, sec, true)!;
      b.requests += units;
      b.tokens += tokens;
      w.requests += units;
      w.tokens += tokens;
      states[i] = { ...states[i], requests: w.requests, tokens: w.tokens, oldestMs: w.buckets[0].sec * 1000 };
    }
    return leased ? { kind: 'admitted', states, leased } : { kind: 'admitted', states };
  }

  async peek(scopes: ScopeLimits[], now: number): Promise<ScopeState[]> {
    return scopes.map((s) => this.state(s, now));
  }

  async settle(req: SettleRequest): Promise<BudgetHit[]> {
    return this.settleNow(req);
  }

  settleNow(req: SettleRequest): BudgetHit[] {
    const hits: BudgetHit[] = [];
    const fix = req.actualTokens - req.estimatedTokens;
    req.scopes.forEach((s, i) => {
      const w = this.windows.get(s.scope);
      const back = req.returnedRequests ?? 0;
      const b = (s.rpm > 0 || s.tpm > 0) && (fix !== 0 || back > 0) && w ? bucketAt(w, Math.floor(req.admittedAt / 1000), false) : undefined;
      if (w && b) {
        const d = Math.max(fix, -b.tokens);
        b.tokens += d;
        w.tokens += d;
        const n = Math.min(back, b.requests);
        b.requests -= n;
        w.requests -= n;
      }
      if (s.budgetUsd > 0 && req.costUsd > 0) {
        const c = this.budgets.get(s.budgetCounter) ?? { spent: 0, seeded: false, expireAt: 0, told: new Set<number>() };
        c.spent += req.costUsd;
        c.expireAt = s.budgetExpireAt;
        this.budgets.set(s.budgetCounter, c);
        if (!c.seeded) return;
        for (const pct of THRESHOLDS) {
          if (c.spent >= (s.budgetUsd * pct) / 100 && !c.told.has(pct)) {
            c.told.add(pct);
            hits.push({ scope: i, thresholdPct: pct, spentUsd: c.spent });
          }
        }
      }
    });
    return hits;
  }

  async seed(counter: string, spentUsd: number, expireAt: number, budgetUsd: number): Promise<number> {
    return this.seedNow(counter, spentUsd, expireAt, budgetUsd);
  }

  seedNow(counter: string, spentUsd: number, expireAt: number, budgetUsd: number): number {
    const b = this.budgets.get(counter);
    if (b?.seeded) return b.spent;
    const spent = Math.max(b?.spent ?? 0, spentUsd);
    const told = new Set<number>(THRESHOLDS.filter((pct) => budgetUsd > 0 && spent >= (budgetUsd * pct) / 100));
    this.budgets.set(counter, { spent, seeded: true, expireAt, told });
    return spent;
  }

  connected(): boolean {
    return true;
  }

  /** Drops every counter (what a Redis FLUSHALL does); for tests of the re-seed path. */
  clear(): void {
    this.windows.clear();
    this.budgets.clear();
  }

  private state(s: ScopeLimits, now: number): ScopeState {
    let requests = 0;
    let tokens = 0;
    let oldestMs: number | null = null;
    if (s.rpm > 0 || s.tpm > 0) {
      const w = this.trim(s.scope, now);
      if (w) {
        requests = w.requests;
        tokens = w.tokens;
        oldestMs = w.buckets[0].sec * 1000;
      }
    }
    let spentUsd = 0;
    let seeded = true;
    if (s.budgetUsd > 0) {
      let b = this.budgets.get(s.budgetCounter);
      if (b && b.expireAt > 0 && b.expireAt <= now) {
        this.budgets.delete(s.budgetCounter);
        b = undefined;
      }
      spentUsd = b?.spent ?? 0;
      seeded = b?.seeded ?? false;
    }
    return { requests, tokens, oldestMs, spentUsd, seeded };
  }

  /** Drops the buckets that left the window at `now`; undefined when none is left. */
  private trim(scope: string, now: number): Window | undefined {
    const w = this.windows.get(scope);
    if (!w) return undefined;
    const last = Math.floor(now / 1000) - SECONDS;
    let n = 0;
    while (n < w.buckets.length && w.buckets[n].sec <= last) {
      w.requests -= w.buckets[n].requests;
      w.tokens -= w.buckets[n++].tokens;
    }
    if (n > 0) w.buckets.splice(0, n);
    if (w.buckets.length > 0) return w;
    this.windows.delete(scope);
    return undefined;
  }

  private window(scope: string): Window {
    let w = this.windows.get(scope);
    if (!w) this.windows.set(scope, (w = { buckets: [], requests: 0, tokens: 0 }));
    return w;
  }

  private tokensFreeIn(s: ScopeLimits, need: number, req: AdmitRequest): number | null {
    if (req.tokens > s.tpm) return null;
    let freed = 0;
    for (const b of this.windows.get(s.scope)?.buckets ?? []) {
      freed += b.tokens;
      if (freed >= need) return b.sec * 1000 + WINDOW_MS - req.now;
    }
    return WINDOW_MS;
  }
}

/** What fits of the admission's lease after the request itself (LeaseWant in counters.port.ts); states are before the request. */
function grantLease(req: AdmitRequest, states: ScopeState[]): LeaseGrant {
  const want = req.lease!;
  let requests = want.requests;
  let tokens = want.tokens;
  req.scopes.forEach((s, i) => {
    if (s.rpm > 0) requests = Math.min(requests, s.rpm - states[i].requests - 1);
    if (s.tpm > 0) tokens = Math.min(tokens, s.tpm - states[i].tokens - req.tokens);
    if (s.budgetUsd > 0) requests = want.costCeilingUsd > 0 ? Math.min(requests, Math.floor((s.budgetUsd - states[i].spentUsd) / (2 * want.costCeilingUsd))) : 0;
  });
  return requests > 0 && tokens >= 0 ? { requests, tokens } : { requests: 0, tokens: 0 };
}

/** The bucket of second `sec` (created in order when `create`). */
function bucketAt(w: Window, sec: number, create: boolean): Bucket | undefined {
  let i = w.buckets.length;
  while (i > 0 && w.buckets[i - 1].sec > sec) i--;
  if (i > 0 && w.buckets[i - 1].sec === sec) return w.buckets[i - 1];
  if (!create) return undefined;
  const b = { sec, requests: 0, tokens: 0 };
  w.buckets.splice(i, 0, b);
  return b;
}
