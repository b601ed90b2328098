/** One counted scope of a request: its key or its team, with that scope's limits (0 = no limit). */
export interface ScopeLimits {
  /** "k:<key id>" or "t:<team>". */
  scope: string;
  rpm: number;
  tpm: number;
  budgetUsd: number;
  /** The budget counter of the current period ("<scope>:<period id>"); "" without a budget. */
  budgetCounter: string;
  /** When Redis may drop the budget counter (epoch ms; 0 = never). */
  budgetExpireAt: number;
}

/** A scope's counters after a call: requests and tokens in the window, its oldest second, the period's spend. */
export interface ScopeState {
  requests: number;
  tokens: number;
  /** Epoch ms of the start of the oldest second with a request still in the window (null when empty). */
  oldestMs: number | null;
  spentUsd: number;
  /** False when the scope has a budget whose counter is missing (not yet seeded in this period or lost). */
  seeded: boolean;
}

export interface AdmitRequest {
  /** Unique per request (the request id), for logs. */
  id: string;
  now: number;
  /** Estimated tokens reserved against tpm until the real usage is known. */
  tokens: number;
  scopes: ScopeLimits[];
}

export type LimitReason = 'rpm' | 'tpm' | 'budget';

export type AdmitResult =
  | { kind: 'admitted'; states: ScopeState[] }
  | { kind: 'rejected'; scope: number; reason: LimitReason; retryAfterMs: number | null; states: ScopeState[] }
  /** The budget counter of scopes[scope] is missing (new period, or the store lost it): seed it, then admit again. */
  | { kind: 'unseeded'; scope: number };

export interface SettleRequest {
  id: string;
  /** The admission time (its second is the bucket the reservation is corrected in). */
  admittedAt: number;
  /** When the request was settled (same clock); without it an adapter checks the bucket is still in the window. */
  settledAt?: number;
  estimatedTokens: number;
  actualTokens: number;
  costUsd: number;
  scopes: ScopeLimits[];
}

/** A budget whose spend reached 80 % or 100 % with a settlement: answered once per scope, period and threshold. */
export interface BudgetHit {
  /** Index into the settlement's scopes. */
  scope: number;
  thresholdPct: 80 | 100;
  spentUsd: number;
}

/**
 * The counters behind rate limits and budgets (port). Adapters: Redis (one Lua script per call, shared
 * by every replica), in-process memory (single-process standalone, or the standalone primary serving
 * its workers over IPC). Every adapter implements the same semantics:
 * - rpm/tpm: a window of 60 one-second buckets: a request counts (and its tokens) in the second it was
 *   admitted and the 59 seconds after, so never more than rpm requests in any 60 s aligned to seconds;
 * - budgets: spend per period, admitted while spend < budget, incremented by each request's exact cost;
 *   the settlement that takes the spend to 80 % or 100 % is told so, once per period (BudgetHit);
 * - a check of every scope and the reservation in all of them happen atomically, or nothing is reserved.
 */
export interface SpendCounters {
  admit(req: AdmitRequest): Promise<AdmitResult>;
  /** Replaces the reservation's estimate by the real tokens (when still in the window) and adds the cost; answers the thresholds it crossed. */
  settle(req: SettleRequest): Promise<BudgetHit[]>;
  /**
   * Seeds a missing budget counter once (the first seeder wins; later calls return the stored value).
   * Thresholds of budgetUsd the seeded spend already reached count as told.
   */
  seed(counter: string, spentUsd: number, expireAt: number, budgetUsd: number): Promise<number>;
  /** The scopes' state without reserving (for the usage endpoints). */
  peek(scopes: ScopeLimits[], now: number): Promise<ScopeState[]>;
  /** Whether calls can succeed right now (Redis connected, primary reachable). */
  connected(): boolean;
}

export const WINDOW_MS = 60_000;
