import type { Redis, Result } from 'ioredis';
import type { RedisLink } from '@gatehouse/redis';
import type { AdmitRequest, AdmitResult, BudgetHit, LimitReason, ScopeLimits, ScopeState, SettleRequest, SpendCounters } from '../counters.port';
import { BATCH_LUA, SEED_LUA } from './scripts';
import { ADMISSION_HEAD, CallBatch } from './call-batch';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    ghLimitsBatch(numKeys: number, ...args: Array<string | number>): Result<Array<number | string>, Context>;
    ghLimitsSeed(key: string, spent: string, expireAt: number, budget: number): Result<string, Context>;
  }
}

export interface RedisCountersOptions {
  /** The connection, shared with the response cache (a turn's lookups and limiter calls leave in one write). */
  link: RedisLink;
  /** Per-call timeout: a limiter call fails fast instead of holding a request (see withTimeout). */
  commandTimeoutMs: number;
  /** Key prefix (default "gh:"). */
  prefix?: string;
  /** How long a settlement waits for an admission to travel with (default 2 ms); then it is sent alone. */
  settleDelayMs?: number;
}

const REASONS: Record<number, LimitReason> = { 1: 'rpm', 2: 'tpm', 3: 'budget' };
/** Settlements and admissions in one call at most (keeps one Lua run short). */
const MAX_CALL = 64;

/**
 * The counters in Redis, shared by every replica. One script (BATCH_LUA) checks and reserves an
 * admission's key and team rpm, tpm and budget together, atomically. Admissions made in the same
 * event-loop turn travel in one call (sent at the turn's end, RedisLink.atTurnEnd, in the same
 * socket write as the turn's cache lookups), so a busy replica makes fewer Redis calls than
 * requests. A settlement is not sent on its own: it waits (at most settleDelayMs) for this
 * replica's next admission and is applied first in that admission's call, and an admission always
 * sees the settlements this replica knew of. No offline queue and a short command timeout: while
 * Redis is away every call fails at once and the limiter applies limits.on_redis_error; ioredis
 * reconnects in the background and the next call uses Redis again.
 */
export class RedisCounters implements SpendCounters {
  readonly redis: Redis;
  private readonly link: RedisLink;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly settleDelayMs: number;
  /** The call being collected: waiting settlements, and the admissions of this event-loop turn. */
  private batch: CallBatch | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The batch is to be sent at the end of this turn. */
  private atTurnEnd = false;
  private readonly sendAtTurnEnd = () => {
    this.atTurnEnd = false;
    this.flush();
  };
  private readonly keysOf = (s: ScopeLimits): readonly [string, string] => [`${this.prefix}win:${s.scope}`, this.budgetKey(s.budgetCounter || `${s.scope}:none`)];

  constructor(opts: RedisCountersOptions) {
    this.prefix = opts.prefix ?? 'gh:';
    this.timeoutMs = opts.commandTimeoutMs;
    this.settleDelayMs = opts.settleDelayMs ?? 2;
    this.link = opts.link;
    this.redis = opts.link.client;
    this.redis.defineCommand('ghLimitsBatch', { lua: BATCH_LUA });
    this.redis.defineCommand('ghLimitsSeed', { numberOfKeys: 1, lua: SEED_LUA });
  }

  /** "ready" once connected; anything else means calls fail now. */
  get status(): string {
    return this.redis.status;
  }

  connected(): boolean {
    return this.redis.status === 'ready';
  }

  /** Resolves true once connected, false after timeoutMs (Redis down at start: the app starts degraded). */
  waitConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.redis.once('ready', onReady);
    });
  }

  async admit(req: AdmitRequest): Promise<AdmitResult> {
    const pending = this.open().addAdmission('admit', req);
    this.sendSoon();
    const reply = await pending;
    const code = Number(reply[0]);
    if (code === 4) return { kind: 'unseeded', scope: Number(reply[1]) - 1 };
    const states = parseStates(reply, req.scopes.length);
    if (code === 0) return req.lease ? { kind: 'admitted', states, leased: { requests: Number(reply[3]), tokens: Number(reply[4]) } } : { kind: 'admitted', states };
    const retry = Number(reply[2]);
    return { kind: 'rejected', scope: Number(reply[1]) - 1, reason: REASONS[code], retryAfterMs: retry < 0 ? null : retry, states };
  }

  async peek(scopes: ScopeLimits[], now: number): Promise<ScopeState[]> {
    const pending = this.open().addAdmission('peek', { now, tokens: 0, scopes });
    this.sendSoon();
    return parseStates(await pending, scopes.length);
  }

  /** Waits for the next admission's call (at most settleDelayMs); resolves when that call was applied (nobody awaits it on a response). */
  settle(req: SettleRequest): Promise<BudgetHit[]> {
    const b = this.open();
    const done = b.addSettlement(req);
    if (b.size >= MAX_CALL) this.flush();
    else if (!this.atTurnEnd) this.timer ??= setTimeout(() => this.flush(), this.settleDelayMs);
    return done;
  }

  async seed(counter: string, spentUsd: number, expireAt: number, budgetUsd: number): Promise<number> {
    return Number(await this.withTimeout(this.redis.ghLimitsSeed(this.budgetKey(counter), spentUsd.toFixed(12), expireAt, budgetUsd)));
  }

  private open(): CallBatch {
    return (this.batch ??= new CallBatch(this.keysOf));
  }

  /** An admission goes at the end of this event-loop turn with the others of the turn (at once when the call is full). */
  private sendSoon(): void {
    if (this.batch!.size >= MAX_CALL) return this.flush();
    if (this.atTurnEnd) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.atTurnEnd = true;
    this.link.atTurnEnd(this.sendAtTurnEnd);
  }

  private flush(): void {
    const b = this.batch;
    this.batch = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (b) this.send(b);
  }

  private send(b: CallBatch): void {
    const call = this.redis.ghLimitsBatch(...b.callArgs());
    this.withTimeout(call).then(
      (reply) => b.split(reply),
      (e: unknown) => b.fail(e as Error),
    );
  }

  /**
   * Rejects when Redis has not answered within timeoutMs. The check runs in the event loop's check
   * phase after the timer fired, i.e. after that iteration's I/O was read: a reply that arrived while
   * the process was busy (event-loop lag under load) still counts, only a silent Redis times out.
   * ioredis' own commandTimeout would reject from the timer before reading the reply.
   */
  private withTimeout<T>(call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            if (done) return;
            done = true;
            reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`));
          }),
        this.timeoutMs,
      );
      call.then(
        (v) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          reject(e as Error);
        },
      );
    });
  }

  private budgetKey(counter: string): string {
    return `${this.prefix}bud:${counter}`;
  }
}

function parseStates(reply: Array<number | string>, n: number): ScopeState[] {
  const out: ScopeState[] = [];
  for (let i = 0; i < n; i++) {
    const o = ADMISSION_HEAD + i * 5;
    const oldest = Number(reply[o + 2]);
    out.push({ requests: Number(reply[o]), tokens: Number(reply[o + 1]), oldestMs: oldest < 0 ? null : oldest, spentUsd: Number(reply[o + 3]), seeded: Number(reply[o + 4]) === 1 });
  }
  return out;
}
