import type { Logger } from '@gatehouse/observability';
import type { AdmitResult, BudgetHit, ScopeLimits, ScopeState, SettleRequest, SpendCounters } from './counters.port';
import { LeaseBook } from './lease-book';
import { limitError, limitsUnavailable } from './limit-errors';
import { admittedVia, limitDegraded, limitRejections } from './limits-metrics';
import type { PeriodWindow } from './periods';
import { rateLimitHeaders } from './rate-limit-headers';
import { hasLimits, scopeLimits, type LimitSubject, type ScopeKind } from './scopes';
import type { SpendSource } from './spend-source';
import { NO_TOKENS, tokensUsed, type RequestOutcome, type TokenEstimate } from './token-estimate';

export type OnCountersError = 'fail_open' | 'fail_closed';

export interface LimitedKey extends LimitSubject {
  id: string;
  name: string;
  team: string;
}

/** What an admitted request reserved; settled with its real usage and cost after the response. */
export interface Admission {
  id: string;
  at: number;
  /** Reserved against tpm (estimate.input + estimate.output; 0 without tpm). */
  tokens: number;
  estimate: TokenEstimate;
  scopes: ScopeLimits[];
  /** x-ratelimit-* for the response (null when no scope has rpm or tpm). */
  headers: Record<string, string> | null;
  /** Per scope: who it is (for budget alerts). */
  meta: Meta[];
  team: string;
  /** The scopes' lease signature (LeaseBook.signature); "" without leases. */
  sig: string;
  /** Admitted from a lease: settled with the others of its lease's second (POOL_MS). */
  leased: boolean;
}

/** A budget that reached 80 % or 100 % with a request's cost (see LimiterOptions.onBudgetCrossed). */
export interface BudgetCrossing {
  kind: ScopeKind;
  id: string;
  team: string;
  thresholdPct: 80 | 100;
  budgetUsd: number;
  spentUsd: number;
  period: LimitSubject['budget_period'];
  periodStart: number;
}

export interface LimiterOptions {
  onError: OnCountersError;
  /** Epoch ms; shifted by GATEHOUSE_TEST_CLOCK_OFFSET_MS in tests of period rollover. */
  clock: () => number;
  logger: Logger;
  /** A failure of the counters or the spend source is logged at most this often (default 30 s). */
  logEveryMs?: number;
  /** After a failed seed, a counter is not seeded again for this long (default 2 s): its budget is not enforced meanwhile (fail_open). */
  seedRetryMs?: number;
  /**
   * Told when a settled cost took a budget across 80 % or 100 %: the counters answer the crossing in
   * the settlement's atomic call, once per scope, period and threshold across every replica.
   */
  onBudgetCrossed?: (c: BudgetCrossing) => void;
  /** Admit from quota leases (LeaseBook) when the counters are another process's: Redis or the standalone primary. */
  leases?: boolean;
}

export interface Meta {
  kind: ScopeKind;
  id: string;
  name: string;
  period: PeriodWindow | null;
  periodName: LimitSubject['budget_period'];
}

const SEED_ATTEMPTS = 4;
/** Settlements of requests admitted from a lease are summed per scopes and second and sent this often. */
const POOL_MS = 50;

/** A key's scopes (with its team's) while its team record and budget periods stay the same. */
interface ScopeSet {
  team: LimitSubject | null;
  /** Valid for now in [from, until): the budget periods' common span. */
  from: number;
  until: number;
  scopes: ScopeLimits[];
  meta: Meta[];
  sig: string;
  tpm: boolean;
}

interface Pooled {
  a: Admission;
  fix: number;
  cost: number;
}

/**
 * Rate limits and budgets of one request (use case): its key's and its team's scopes are checked and
 * reserved in one counters call before the provider is called, and settled with the real tokens and
 * cost after the response (never awaited on the response path). A missing budget counter is seeded
 * from the spend source (the analytics store) first. When the counters fail, limits.on_redis_error
 * decides: serve without limits (fail_open) or answer 503 (fail_closed). With leases (LeaseBook), a
 * busy replica admits most requests from a reservation made by an earlier call, and settles them
 * summed (POOL_MS).
 */
export class Limiter {
  private readonly seeding = new Map<string, Promise<boolean>>();
  private readonly seedFailedAt = new Map<string, number>();
  private readonly lastLog = new Map<string, number>();
  private readonly leases: LeaseBook | null;
  private readonly pool = new Map<string, Pooled>();
  private readonly scopeSets = new WeakMap<LimitedKey, ScopeSet>();
  private poolTimer: NodeJS.Timeout | null = null;
  private readonly flushPool = (): Array<Promise<void>> => {
    if (this.poolTimer) clearTimeout(this.poolTimer);
    this.poolTimer = null;
    const settledAt = this.opts.clock();
    const sent: Array<Promise<void>> = [];
    for (const { a, fix, cost } of this.pool.values()) {
      sent.push(this.sendSettlement({ id: a.id, admittedAt: a.at, settledAt, estimatedTokens: 0, actualTokens: fix, costUsd: cost, scopes: a.scopes }, a));
    }
    this.pool.clear();
    return sent;
  };

  constructor(
    private readonly counters: SpendCounters,
    private readonly teams: (name: string) => LimitSubject | undefined,
    private readonly source: SpendSource | null,
    private readonly opts: LimiterOptions,
  ) {
    this.leases = opts.leases ? new LeaseBook((req) => this.sendSettlement(req, null), opts.clock) : null;
  }

  get onError(): OnCountersError {
    return this.opts.onError;
  }

  connected(): boolean {
    return this.counters.connected();
  }

  /**
   * Null, synchronously, when neither the key nor its team has a limit: such requests never touch the
   * counters. An Admission, synchronously, when this replica's quota lease covers the request; else
   * a promise of the counters' answer (rejected with the 429, or the 503 under fail_closed).
   */
  admit(id: string, key: LimitedKey, estimateTokens: () => TokenEstimate): Admission | Promise<Admission | null> | null {
    const team = this.teams(key.team);
    const keyLimited = hasLimits(key);
    if (!keyLimited && !hasLimits(team)) return null;
    const now = this.opts.clock();
    const set = this.scopeSet(keyLimited ? key : null, team && hasLimits(team) ? team : null, key, now);
    const estimate = set.tpm ? estimateTokens() : NO_TOKENS;
    const tokens = estimate.input + estimate.output;
    const sec = Math.floor(now / 1000);
    const leased = this.leases?.take(set.sig, sec, tokens);
    if (leased) {
      admittedVia.lease.inc();
      const { scopes, meta, sig } = set;
      return { id, at: now, tokens, estimate, scopes, headers: rateLimitHeaders(scopes, leased.states, now, leased), meta, team: key.team, sig, leased: true };
    }
    return this.ask(id, set, key, now, estimate, tokens, sec);
  }

  /** Replaces the token estimate with the tokens the request used (tokensUsed) and adds its cost; fire and forget. */
  settle(a: Admission | null, outcome: RequestOutcome, costUsd: number | null): void {
    if (a === null) return;
    const tpm = a.scopes.some((s) => s.tpm > 0);
    const actual = tpm ? tokensUsed(outcome, a.estimate) : a.tokens;
    const cost = costUsd !== null && costUsd > 0 && a.scopes.some((s) => s.budgetUsd > 0) ? costUsd : 0;
    if (a.sig !== '') this.leases!.observeCost(a.sig, cost);
    if (actual === a.tokens && cost === 0) return;
    if (a.leased) return this.addToPool(a, actual - a.tokens, cost);
    this.sendSettlement({ id: a.id, admittedAt: a.at, settledAt: this.opts.clock(), estimatedTokens: a.tokens, actualTokens: actual, costUsd: cost, scopes: a.scopes }, a);
  }

  /** A leased request's correction and cost join those of its lease's second (one settlement per POOL_MS). */
  private addToPool(a: Admission, fix: number, cost: number): void {
    const at = `${a.sig}@${Math.floor(a.at / 1000)}`;
    const p = this.pool.get(at);
    if (p) {
      p.fix += fix;
      p.cost += cost;
    } else {
      this.pool.set(at, { a, fix, cost });
    }
    this.poolTimer ??= setTimeout(this.flushPool, POOL_MS);
  }

  /** At shutdown: the pooled settlements and the unused leases reach the counters before the connection closes. */
  async close(): Promise<void> {
    await Promise.all([...this.flushPool(), ...(this.leases?.endAll() ?? [])]);
  }

  private sendSettlement(req: SettleRequest, a: Admission | null): Promise<void> {
    return this.counters
      .settle(req)
      .then((hits) => {
        if (a) this.tell(a, hits);
      })
      .catch((e: unknown) => {
        limitDegraded.inc({ cause: 'counters', action: 'settlement_lost' });
        this.logLimited('settle', { err: (e as Error).message, request_id: req.id }, 'limits: a settlement did not reach the counters (its tokens and cost are not counted)');
      });
  }

  /** Tells the thresholds the counters answered this settlement crossed (each once per scope and period, whichever replica settled it). */
  private tell(a: Admission, hits: BudgetHit[]): void {
    const tell = this.opts.onBudgetCrossed;
    if (!tell) return;
    for (const h of hits) {
      const m = a.meta[h.scope];
      tell({ kind: m.kind, id: m.id, team: a.team, thresholdPct: h.thresholdPct, budgetUsd: a.scopes[h.scope].budgetUsd, spentUsd: round9(h.spentUsd), period: m.periodName, periodStart: m.period?.start ?? 0 });
    }
  }

  /** Current window and period spend of a key or a team (admin usage endpoints). */
  async usage(kind: ScopeKind, id: string, name: string, subject: LimitSubject) {
    const now = this.opts.clock();
    const { limits, period } = scopeLimits(kind, id, subject, now);
    const meta: Meta = { kind, id, name, period, periodName: subject.budget_period };
    let state: ScopeState;
    try {
      [state] = await this.counters.peek([limits], now);
      if (!state.seeded && (await this.seed(limits, meta))) [state] = await this.counters.peek([limits], now);
    } catch (e) {
      this.logLimited('counters', { err: (e as Error).message }, 'limits: the counters did not answer');
      throw limitsUnavailable();
    }
    const windowed = limits.rpm > 0 || limits.tpm > 0;
    return {
      limits: { rpm: subject.rpm, tpm: subject.tpm, budget_usd: subject.budget_usd, budget_period: subject.budget_period },
      window: windowed
        ? {
            seconds: 60,
            requests: state.requests,
            tokens: state.tokens,
            remaining_requests: limits.rpm > 0 ? Math.max(0, limits.rpm - state.requests) : null,
            remaining_tokens: limits.tpm > 0 ? Math.max(0, limits.tpm - state.tokens) : null,
            next_slot_at: state.oldestMs === null ? null : new Date(state.oldestMs + 60_000).toISOString(),
          }
        : null,
      budget: period
        ? {
            period: subject.budget_period,
            period_start: new Date(period.start).toISOString(),
            period_end: period.end === null ? null : new Date(period.end).toISOString(),
            spent_usd: round9(state.spentUsd),
            remaining_usd: round9(Math.max(0, limits.budgetUsd - state.spentUsd)),
            exhausted: state.spentUsd >= limits.budgetUsd,
            seeded: state.seeded,
          }
        : null,
    };
  }

  /**
   * The scopes of a key (and its team) at `now`: built once per key record, team record and budget
   * period, and shared by the requests that follow (records are replaced, never changed, on update).
   */
  private scopeSet(key: LimitSubject | null, team: LimitSubject | null, k: LimitedKey, now: number): ScopeSet {
    const cached = this.scopeSets.get(k);
    if (cached && cached.team === team && now >= cached.from && now < cached.until) return cached;
    const scopes: ScopeLimits[] = [];
    const meta: Meta[] = [];
    let from = -Infinity;
    let until = Infinity;
    const add = (kind: ScopeKind, id: string, name: string, subject: LimitSubject) => {
      const s = scopeLimits(kind, id, subject, now);
      scopes.push(s.limits);
      meta.push({ kind, id, name, period: s.period, periodName: subject.budget_period });
      if (s.period) {
        from = Math.max(from, s.period.start);
        if (s.period.end !== null) until = Math.min(until, s.period.end);
      }
    };
    if (key) add('key', k.id, k.name, key);
    if (team) add('team', k.team, k.team, team);
    const set: ScopeSet = { team, from, until, scopes, meta, sig: this.leases ? LeaseBook.signature(scopes) : '', tpm: scopes.some((s) => s.tpm > 0) };
    this.scopeSets.set(k, set);
    return set;
  }

  /** The counters' call (with a lease wanted, when leases are on), seeding a missing budget counter first. */
  private async ask(id: string, set: ScopeSet, k: LimitedKey, now: number, estimate: TokenEstimate, tokens: number, sec: number): Promise<Admission | null> {
    const { meta, sig } = set;
    let scopes = set.scopes;
    const leases = this.leases;
    let lease = leases?.want(sig, sec, scopes, tokens);
    // the counters see this replica's pooled spend before they admit (settlements go first in a call)
    if (this.pool.size > 0) this.flushPool();
    try {
      for (let attempt = 0; attempt < SEED_ATTEMPTS; attempt++) {
        let r: AdmitResult;
        try {
          r = await this.counters.admit({ id, now, tokens, scopes, lease });
        } catch (e) {
          return this.unavailable('counters', e);
        }
        if (lease && r.kind !== 'unseeded') {
          leases!.answered(sig, sec, scopes, r.states, r.kind === 'admitted' ? r.leased : undefined);
          lease = undefined;
        }
        if (r.kind === 'unseeded') {
          if (!(await this.seed(scopes[r.scope], meta[r.scope]))) {
            if (this.opts.onError === 'fail_closed') return this.unavailable('seed', null);
            limitDegraded.inc({ cause: 'seed', action: 'budget_not_enforced' });
            // this request only: the shared set keeps the budget
            if (scopes === set.scopes) scopes = scopes.slice();
            scopes[r.scope] = { ...scopes[r.scope], budgetUsd: 0 };
          }
          continue;
        }
        const headers = rateLimitHeaders(scopes, r.states, now, r.kind === 'admitted' ? r.leased : undefined);
        if (r.kind === 'rejected') {
          const m = meta[r.scope];
          const s = scopes[r.scope];
          limitRejections.inc({ reason: r.reason, scope: m.kind });
          const limit = r.reason === 'rpm' ? s.rpm : r.reason === 'tpm' ? s.tpm : s.budgetUsd;
          const retryAfterMs = r.reason === 'budget' ? (m.period?.end ? m.period.end - now : null) : r.retryAfterMs;
          throw limitError({ kind: m.kind, name: m.name, reason: r.reason, limit, retryAfterMs, spentUsd: r.states[r.scope].spentUsd, period: m.period, periodName: m.periodName }, headers);
        }
        admittedVia.counters.inc();
        return { id, at: now, tokens, estimate, scopes, headers, meta, team: k.team, sig, leased: false };
      }
      return this.unavailable('seed', new Error('budget counter still missing after seeding'));
    } finally {
      // asked, and the call failed or ended without an answer: the next admission may ask again
      if (lease) leases!.answered(sig, sec, scopes, [], undefined);
    }
  }

  /** Seeds a missing budget counter from the spend source; concurrent requests share one read; false when the source failed. */
  private seed(s: ScopeLimits, m: Meta): Promise<boolean> {
    const counter = s.budgetCounter;
    const failedAt = this.seedFailedAt.get(counter);
    if (failedAt !== undefined && this.opts.clock() - failedAt < (this.opts.seedRetryMs ?? 2000)) return Promise.resolve(false);
    let p = this.seeding.get(counter);
    if (!p) {
      p = (async () => {
        try {
          const spent = this.source ? await this.source.spentSince(m.kind, m.id, m.period?.start ?? 0) : 0;
          await this.counters.seed(counter, spent, s.budgetExpireAt, s.budgetUsd);
          this.seedFailedAt.delete(counter);
          return true;
        } catch (e) {
          this.seedFailedAt.set(counter, this.opts.clock());
          this.logLimited('seed', { err: (e as Error).message, counter }, 'limits: could not re-seed a budget counter from the analytics spend');
          return false;
        } finally {
          this.seeding.delete(counter);
        }
      })();
      this.seeding.set(counter, p);
    }
    return p;
  }

  private unavailable(cause: 'counters' | 'seed', e: unknown): null {
    const closed = this.opts.onError === 'fail_closed';
    limitDegraded.inc({ cause, action: closed ? 'rejected' : 'served_without_limits' });
    if (e) this.logLimited(cause, { err: (e as Error).message, on_redis_error: this.opts.onError }, 'limits: the counters did not answer');
    if (closed) {
      limitRejections.inc({ reason: 'unavailable', scope: 'all' });
      throw limitsUnavailable();
    }
    return null;
  }

  private logLimited(what: string, fields: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    if (now - (this.lastLog.get(what) ?? 0) < (this.opts.logEveryMs ?? 30_000)) return;
    this.lastLog.set(what, now);
    this.opts.logger.warn(fields, msg);
  }
}

const round9 = (n: number) => Math.round(n * 1e9) / 1e9;
