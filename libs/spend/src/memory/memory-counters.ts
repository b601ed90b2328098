import { WINDOW_MS, type AdmitRequest, type AdmitResult, type ScopeLimits, type ScopeState, type SettleRequest, type SpendCounters } from '../counters.port';

interface Entry {
  at: number;
  id: string;
  tokens: number;
}

interface Window {
  /** Sorted by admission time (oldest first). */
  entries: Entry[];
  tokens: number;
}

interface Budget {
  spent: number;
  seeded: boolean;
  expireAt: number;
}

/**
 * The counters in this process's memory, with the semantics of the Redis script (counters.port.ts).
 * Used by single-process standalone, and by the standalone primary on behalf of its workers (IPC), so
 * the limits hold across GATEHOUSE_WORKERS. A restart loses them: budgets are re-seeded like after a
 * Redis FLUSHALL.
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
    for (let i = 0; i < req.scopes.length; i++) {
      const s = req.scopes[i];
      if (!(s.rpm > 0 || s.tpm > 0)) continue;
      const w = this.window(s.scope);
      insertSorted(w.entries, { at: req.now, id: req.id, tokens: req.tokens });
      w.tokens += req.tokens;
      states[i] = { ...states[i], requests: states[i].requests + 1, tokens: states[i].tokens + req.tokens, oldestMs: w.entries[0].at };
    }
    return { kind: 'admitted', states };
  }

  async peek(scopes: ScopeLimits[], now: number): Promise<ScopeState[]> {
    return scopes.map((s) => this.state(s, now));
  }

  async settle(req: SettleRequest): Promise<void> {
    this.settleNow(req);
  }

  settleNow(req: SettleRequest): void {
    for (const s of req.scopes) {
      if ((s.rpm > 0 || s.tpm > 0) && req.estimatedTokens !== req.actualTokens) {
        const w = this.windows.get(s.scope);
        const e = w?.entries.find((x) => x.id === req.id);
        if (w && e) {
          w.tokens += req.actualTokens - e.tokens;
          e.tokens = req.actualTokens;
        }
      }
      if (s.budgetUsd > 0 && req.costUsd > 0) {
        const b = this.budgets.get(s.budgetCounter) ?? { spent: 0, seeded: false, expireAt: 0 };
        b.spent += req.costUsd;
        b.expireAt = s.budgetExpireAt;
        this.budgets.set(s.budgetCounter, b);
      }
    }
  }

  async seed(counter: string, spentUsd: number, expireAt: number): Promise<number> {
    return this.seedNow(counter, spentUsd, expireAt);
  }

  seedNow(counter: string, spentUsd: number, expireAt: number): number {
    const b = this.budgets.get(counter);
    if (b?.seeded) return b.spent;
    const next = { spent: Math.max(b?.spent ?? 0, spentUsd), seeded: true, expireAt };
    this.budgets.set(counter, next);
    return next.spent;
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
        requests = w.entries.length;
        tokens = w.tokens;
        oldestMs = w.entries[0]?.at ?? null;
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

  private trim(scope: string, now: number): Window | undefined {
    const w = this.windows.get(scope);
    if (!w) return undefined;
    const cutoff = now - WINDOW_MS;
    let n = 0;
    while (n < w.entries.length && w.entries[n].at <= cutoff) w.tokens -= w.entries[n++].tokens;
    if (n > 0) w.entries.splice(0, n);
    if (w.entries.length === 0) this.windows.delete(scope);
    return w;
  }

  private window(scope: string): Window {
    let w = this.windows.get(scope);
    if (!w) this.windows.set(scope, (w = { entries: [], tokens: 0 }));
    return w;
  }

  private tokensFreeIn(s: ScopeLimits, need: number, req: AdmitRequest): number | null {
    if (req.tokens > s.tpm) return null;
    const w = this.windows.get(s.scope);
    let freed = 0;
    for (const e of w?.entries ?? []) {
      freed += e.tokens;
      if (freed >= need) return e.at + WINDOW_MS - req.now;
    }
    return WINDOW_MS;
  }
}

function insertSorted(entries: Entry[], e: Entry): void {
  let i = entries.length;
  while (i > 0 && entries[i - 1].at > e.at) i--;
  entries.splice(i, 0, e);
}
