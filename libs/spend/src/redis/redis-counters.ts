import { Redis, type Result } from 'ioredis';
import { WINDOW_MS, type AdmitRequest, type AdmitResult, type LimitReason, type ScopeLimits, type ScopeState, type SettleRequest, type SpendCounters } from '../counters.port';
import { ADMIT_LUA, SEED_LUA, SETTLE_LUA } from './scripts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    ghLimitsAdmit(numKeys: number, ...args: Array<string | number>): Result<Array<number | string>, Context>;
    ghLimitsSettle(numKeys: number, ...args: Array<string | number>): Result<number, Context>;
    ghLimitsSeed(key: string, spent: string, expireAt: number): Result<string, Context>;
  }
}

export interface RedisCountersOptions {
  url: string;
  /** Per-call timeout: a limiter call fails fast instead of holding a request (see withTimeout). */
  commandTimeoutMs: number;
  /** Key prefix (default "gh:"). */
  prefix?: string;
}

const REASONS: Record<number, LimitReason> = { 1: 'rpm', 2: 'tpm', 3: 'budget' };

/**
 * The counters in Redis, shared by every replica: one EVALSHA per admission checks and reserves the
 * key's and the team's rpm, tpm and budget together (scripts.ts). No offline queue and a short
 * command timeout: while Redis is away every call fails at once and the limiter applies
 * limits.on_redis_error; ioredis reconnects in the background and the next call uses Redis again.
 */
export class RedisCounters implements SpendCounters {
  readonly redis: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(opts: RedisCountersOptions) {
    this.prefix = opts.prefix ?? 'gh:';
    this.timeoutMs = opts.commandTimeoutMs;
    this.redis = new Redis(opts.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: Math.max(1000, opts.commandTimeoutMs),
      retryStrategy: (times) => Math.min(50 * times, 1000),
      enableReadyCheck: true,
    });
    this.redis.defineCommand('ghLimitsAdmit', { lua: ADMIT_LUA });
    this.redis.defineCommand('ghLimitsSettle', { lua: SETTLE_LUA });
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
    const reply = await this.withTimeout(this.call('admit', req.now, `${req.id}:${req.tokens}`, req.tokens, req.scopes));
    const code = Number(reply[0]);
    if (code === 4) return { kind: 'unseeded', scope: Number(reply[1]) - 1 };
    const states = parseStates(reply, req.scopes.length);
    if (code === 0) return { kind: 'admitted', states };
    const retry = Number(reply[2]);
    return { kind: 'rejected', scope: Number(reply[1]) - 1, reason: REASONS[code], retryAfterMs: retry < 0 ? null : retry, states };
  }

  async peek(scopes: ScopeLimits[], now: number): Promise<ScopeState[]> {
    return parseStates(await this.withTimeout(this.call('peek', now, '', 0, scopes)), scopes.length);
  }

  async settle(req: SettleRequest): Promise<void> {
    const args: Array<string | number> = [req.id, req.admittedAt, req.estimatedTokens, req.actualTokens, req.costUsd.toFixed(12)];
    for (const s of req.scopes) args.push(s.rpm > 0 || s.tpm > 0 ? 1 : 0, s.budgetUsd > 0 ? 1 : 0, s.budgetExpireAt);
    await this.withTimeout(this.redis.ghLimitsSettle(req.scopes.length * 3, ...this.keys(req.scopes), ...args));
  }

  async seed(counter: string, spentUsd: number, expireAt: number): Promise<number> {
    return Number(await this.withTimeout(this.redis.ghLimitsSeed(this.budgetKey(counter), spentUsd.toFixed(12), expireAt)));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
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

  private call(mode: 'admit' | 'peek', now: number, member: string, tokens: number, scopes: ScopeLimits[]) {
    const args: Array<string | number> = [mode, now, member, tokens, WINDOW_MS];
    for (const s of scopes) args.push(s.rpm, s.tpm, s.budgetUsd);
    return this.redis.ghLimitsAdmit(scopes.length * 3, ...this.keys(scopes), ...args);
  }

  private keys(scopes: ScopeLimits[]): string[] {
    const out: string[] = [];
    for (const s of scopes) out.push(`${this.prefix}rl:${s.scope}:log`, `${this.prefix}rl:${s.scope}:tok`, this.budgetKey(s.budgetCounter || `${s.scope}:none`));
    return out;
  }

  private budgetKey(counter: string): string {
    return `${this.prefix}bud:${counter}`;
  }
}

function parseStates(reply: Array<number | string>, n: number): ScopeState[] {
  const out: ScopeState[] = [];
  for (let i = 0; i < n; i++) {
    const o = 3 + i * 5;
    const oldest = Number(reply[o + 2]);
    out.push({ requests: Number(reply[o]), tokens: Number(reply[o + 1]), oldestMs: oldest < 0 ? null : oldest, spentUsd: Number(reply[o + 3]), seeded: Number(reply[o + 4]) === 1 });
  }
  return out;
}
