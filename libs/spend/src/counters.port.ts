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
  /** Reserve up to this much more for this replica's later requests of the same second (LeaseWant); absent: only this request. */
  lease?: LeaseWant;
}

/**
 * A quota lease asked for with an admission: extra requests and tokens reserved in the same bucket (the
 * admission's second) when they fit every scope's rpm and tpm, so the replica admits that many more
 * requests of the second without a call. What is granted is fewer when less fits (none when not one
 * more request fits). A scope with a budget grants at most (budget - spent) / (2 x costCeilingUsd)
 * requests, none when costCeilingUsd is 0. What the replica does not use is returned by a settlement
 * (returnedRequests, and actualTokens below estimatedTokens).
 */
export interface LeaseWant {
  requests: number;
  tokens: number;
  /** The highest cost of one request the replica has settled for these scopes (0: unknown). */
  costCeilingUsd: number;
}

export interface LeaseGrant {
  requests: number;
  tokens: number;
}

export type LimitReason = 'rpm' | 'tpm' | 'budget';

export type AdmitResult =
  /** states count the request and its lease; leased is what the lease got (absent when none was asked). */
  | { kind: 'admitted'; states: ScopeState[]; leased?: LeaseGrant }
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
  /** Requests reserved by a lease and not used: taken back from the admission second's bucket (default 0). */
  returnedRequests?: number;
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
 * - a check of every scope and the reservation in all of them happen atomically, or nothing is reserved;
 * - an admission may reserve a quota lease (LeaseWant) with it, in the same atomic step.
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
