import { WINDOW_MS, type AdmitRequest, type BudgetHit, type ScopeLimits, type SettleRequest } from '../counters.port';

type Reply = Array<number | string>;

/**
 * A reservation settled within this long of its admission is certainly still in the window (60 s,
 * less 3 s for the other replicas' clocks and the second it was admitted in): the script does not check it.
 */
const LIVE_BUCKET_MS = WINDOW_MS - 3_000;

/** An admission's reply: code, scope, retry-after, lease requests and tokens granted; then 5 values per scope. */
export const ADMISSION_HEAD = 5;

interface Waiter<T> {
  resolve(value: T): void;
  reject(e: Error): void;
}

/**
 * The arguments of one BATCH_LUA call (scripts.ts) while they are collected: settlements first, then
 * admissions and peeks, each with the keys of its scopes. split() hands each settlement its budget
 * crossings and each admission its part of the reply; fail() rejects every waiter of the call.
 */
export class CallBatch {
  readonly settleKeys: string[] = [];
  readonly settleArgs: Array<string | number> = [];
  readonly admitKeys: string[] = [];
  readonly admitArgs: Array<string | number> = [];
  private readonly settled: Array<Waiter<BudgetHit[]>> = [];
  private readonly admitted: Array<Waiter<Reply> & { scopes: number }> = [];
  /** The first admission's second (0 without one): the buckets the script reads with each window. */
  second = 0;

  constructor(private readonly keysOf: (s: ScopeLimits) => readonly [string, string]) {}

  get size(): number {
    return this.settled.length + this.admitted.length;
  }

  get settlements(): number {
    return this.settled.length;
  }

  get admissions(): number {
    return this.admitted.length;
  }

  /** Resolves with the budget thresholds this settlement crossed once the call that carries it was applied. */
  addSettlement(req: SettleRequest): Promise<BudgetHit[]> {
    this.settleArgs.push(Math.floor(req.admittedAt / 1000), req.actualTokens - req.estimatedTokens, req.costUsd.toFixed(12), req.returnedRequests ?? 0, req.scopes.length);
    const windowed = req.settledAt !== undefined && req.settledAt - req.admittedAt < LIVE_BUCKET_MS ? 2 : 1;
    for (const s of req.scopes) {
      const [win, bud] = this.keysOf(s);
      this.settleKeys.push(win, bud);
      this.settleArgs.push(s.rpm > 0 || s.tpm > 0 ? windowed : 0, s.budgetUsd, s.budgetExpireAt);
    }
    return new Promise<BudgetHit[]>((resolve, reject) => this.settled.push({ resolve, reject }));
  }

  /** An admission (mode admit) or a read without reservation (mode peek); resolves with its slice of the reply. */
  addAdmission(mode: 'admit' | 'peek', req: Pick<AdmitRequest, 'now' | 'tokens' | 'scopes' | 'lease'>): Promise<Reply> {
    const second = Math.floor(req.now / 1000);
    if (this.second === 0) this.second = second;
    const lease = req.lease;
    if (lease) this.admitArgs.push(mode, req.now, second, req.tokens, lease.requests, lease.tokens, lease.costCeilingUsd.toFixed(12), req.scopes.length);
    else this.admitArgs.push(mode, req.now, second, req.tokens, 0, 0, 0, req.scopes.length);
    for (const s of req.scopes) {
      const [win, bud] = this.keysOf(s);
      this.admitKeys.push(win, bud);
      this.admitArgs.push(s.rpm, s.tpm, s.budgetUsd);
    }
    return new Promise<Reply>((resolve, reject) => this.admitted.push({ scopes: req.scopes.length, resolve, reject }));
  }

  /** The call's EVALSHA arguments after the script's sha: the key count, the keys, then ARGV (the layout scripts.ts reads). */
  callArgs(): [number, ...Array<string | number>] {
    return [this.settleKeys.length + this.admitKeys.length, ...this.settleKeys, ...this.admitKeys, this.settlements, this.admissions, this.second, ...this.settleArgs, ...this.admitArgs];
  }

  split(reply: Reply): void {
    const crossings = Number(reply[0]);
    const hits: BudgetHit[][] = this.settled.map(() => []);
    for (let c = 0; c < crossings; c++) {
      const o = 1 + c * 4;
      hits[Number(reply[o]) - 1].push({ scope: Number(reply[o + 1]) - 1, thresholdPct: Number(reply[o + 2]) as 80 | 100, spentUsd: Number(reply[o + 3]) });
    }
    this.settled.forEach((w, i) => w.resolve(hits[i]));
    let o = 1 + crossings * 4;
    for (const w of this.admitted) {
      const len = ADMISSION_HEAD + 5 * w.scopes;
      w.resolve(reply.slice(o, o + len));
      o += len;
    }
  }

  fail(e: Error): void {
    for (const w of this.settled) w.reject(e);
    for (const w of this.admitted) w.reject(e);
  }
}
