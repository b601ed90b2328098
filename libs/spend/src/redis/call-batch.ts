import type { AdmitRequest, ScopeLimits, SettleRequest } from '../counters.port';

type Reply = Array<number | string>;

interface Waiter {
  scopes: number;
  resolve(reply: Reply): void;
  reject(e: Error): void;
}

/**
 * The arguments of one BATCH_LUA call (scripts.ts) while they are collected: settlements first, then
 * admissions and peeks, each with the keys of its scopes. split() hands each admission its part of
 * the reply; fail() rejects every waiter of the call.
 */
export class CallBatch {
  readonly settleKeys: string[] = [];
  readonly settleArgs: Array<string | number> = [];
  readonly admitKeys: string[] = [];
  readonly admitArgs: Array<string | number> = [];
  settlements = 0;
  private readonly waiters: Waiter[] = [];
  private settledResolve: (() => void) | null = null;
  private settledReject: ((e: Error) => void) | null = null;
  private settledPromise: Promise<void> | null = null;

  constructor(private readonly keysOf: (s: ScopeLimits) => readonly string[]) {}

  get size(): number {
    return this.settlements + this.waiters.length;
  }

  get admissions(): number {
    return this.waiters.length;
  }

  /** Resolves when the call that carries it was applied. */
  addSettlement(req: SettleRequest): Promise<void> {
    this.settlements++;
    this.settleArgs.push(req.id, req.admittedAt, req.estimatedTokens, req.actualTokens, req.costUsd.toFixed(12), req.scopes.length);
    for (const s of req.scopes) {
      this.settleKeys.push(...this.keysOf(s));
      this.settleArgs.push(s.rpm > 0 || s.tpm > 0 ? 1 : 0, s.budgetUsd > 0 ? 1 : 0, s.budgetExpireAt);
    }
    this.settledPromise ??= new Promise<void>((resolve, reject) => {
      this.settledResolve = resolve;
      this.settledReject = reject;
    });
    return this.settledPromise;
  }

  /** An admission (mode admit) or a read without reservation (mode peek); resolves with its slice of the reply. */
  addAdmission(mode: 'admit' | 'peek', req: Pick<AdmitRequest, 'id' | 'now' | 'tokens' | 'scopes'>): Promise<Reply> {
    this.admitArgs.push(mode, req.now, mode === 'admit' ? `${req.id}:${req.tokens}` : '', req.tokens, req.scopes.length);
    for (const s of req.scopes) {
      this.admitKeys.push(...this.keysOf(s));
      this.admitArgs.push(s.rpm, s.tpm, s.budgetUsd);
    }
    return new Promise<Reply>((resolve, reject) => this.waiters.push({ scopes: req.scopes.length, resolve, reject }));
  }

  split(reply: Reply): void {
    let o = 0;
    for (const w of this.waiters) {
      const len = 3 + 5 * w.scopes;
      w.resolve(reply.slice(o, o + len));
      o += len;
    }
    this.settledResolve?.();
  }

  fail(e: Error): void {
    for (const w of this.waiters) w.reject(e);
    this.settledReject?.(e);
  }
}
