import type { Target } from '@gatehouse/config';
import type { Attempt } from '@gatehouse/contracts';
import type { HttpProvider } from '@gatehouse/providers';
import { Admission, type BreakerState, type CircuitBreaker, type TargetBoard } from '@gatehouse/routing';
import { AbortFlag } from '../pipeline/abort-flag';
import type { RequestContext } from '../pipeline/request-context';
import { classifyUpstreamStatus, isTargetFault, type AttemptFailure } from './attempt-outcome';
import type { ProviderEntry } from './route-table';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * One try of one target: its abort flag (client gone or total timeout), the record it leaves in the
 * trace, and the outcome it reports to the target's breaker and latency statistics (exactly once).
 */
export class UpstreamAttempt {
  readonly abort = new AbortFlag();
  readonly started = performance.now();
  /** Which of the model's timeouts aborted this attempt (null: none; undici's own timers are only second-accurate). */
  timedOut: 'first_byte' | 'total' | 'idle' | null = null;
  /** Something was sent to the client: no failover any more. */
  committed = false;
  private settled = false;
  /** One timer per attempt: first byte, then (if the attempt lives that long) the rest of the total. */
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private deadline = 0;
  private headers = false;
  private idleMs = 0;
  private lastChunk = 0;
  private readonly onTimer = () => this.timerFired();
  private readonly onIdle = () => this.idleFired();
  /** The breaker's state when this attempt was admitted (for the trace). */
  private readonly breakerState: BreakerState;

  constructor(
    readonly ctx: RequestContext,
    readonly entry: ProviderEntry,
    readonly provider: HttpProvider,
    readonly target: Target,
    readonly key: string,
    private readonly breaker: CircuitBreaker,
    private readonly admission: Admission,
    private readonly board: TargetBoard,
    readonly retryOn: readonly number[],
  ) {
    this.breakerState = breaker.state;
  }

  /** Arms the first-byte timeout and the total timeout (what is left of the request's) of this attempt. */
  startTimers(remainingMs: number, firstByteMs: number): void {
    this.deadline = performance.now() + remainingMs;
    this.timer = setTimeout(this.onTimer, Math.min(firstByteMs, remainingMs));
  }

  /** The response headers arrived: the first-byte timeout no longer applies. */
  gotHeaders(): void {
    this.headers = true;
  }

  /** Marks a body chunk; the first call starts the stream idle watch (the timer is re-armed lazily, not per chunk). */
  touch(idleMs: number): void {
    this.lastChunk = performance.now();
    if (this.idleTimer === null) {
      this.idleMs = idleMs;
      this.idleTimer = setTimeout(this.onIdle, idleMs);
    }
  }

  stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
  }

  private timerFired(): void {
    const left = this.deadline - performance.now();
    if (!this.headers) this.expire(left <= 1 ? 'total' : 'first_byte');
    else if (left > 1) this.timer = setTimeout(this.onTimer, left);
    else this.expire('total');
  }

  private idleFired(): void {
    const quiet = performance.now() - this.lastChunk;
    if (quiet >= this.idleMs - 1) this.expire('idle');
    else this.idleTimer = setTimeout(this.onIdle, this.idleMs - quiet);
  }

  private expire(kind: 'first_byte' | 'total' | 'idle'): void {
    if (this.timedOut === null) this.timedOut = kind;
    this.abort.abort();
  }

  get recorded(): boolean {
    return this.settled;
  }

  /** The upstream answered well enough to use (call before writing to the client). */
  succeed(status: number): void {
    this.push(status, null);
    this.board.latency.record(this.key, this.ctx.attempts[this.ctx.attempts.length - 1].latency_ms);
    this.breaker.success(this.admission);
  }

  /** The upstream failed this attempt; the returned failure tells the engine what to do next. */
  fail(status: number, errorType: string, message: string, retryAfterMs: number | null = null): AttemptFailure {
    this.push(status, errorType);
    const latency = this.ctx.attempts[this.ctx.attempts.length - 1].latency_ms;
    if (status > 0 && status < 500) this.board.latency.record(this.key, latency);
    if (isTargetFault(status)) {
      this.breaker.failure(this.admission, message);
      this.board.noteError(this.key, message);
    } else this.breaker.success(this.admission);
    const next = status === 0 ? 'retry' : classifyUpstreamStatus(status, this.retryOn);
    return { status, errorType, message, next, retryAfterMs };
  }

  /** A committed stream broke (idle gap, lost connection, total timeout): the target counts it as a failure. */
  brokeMidStream(message: string): void {
    this.breaker.failure(Admission.Admitted, message);
    this.board.noteError(this.key, message);
  }

  /** Ends an attempt that produced no outcome (the client left, the request could not be built). */
  release(): void {
    if (!this.settled) this.breaker.release(this.admission);
    this.settled = true;
  }

  private push(status: number, errorType: string | null): void {
    this.settled = true;
    const a: Attempt = {
      provider: this.entry.name,
      model: this.target.model,
      status,
      error_type: errorType,
      latency_ms: round(performance.now() - this.started),
      breaker: this.breakerState,
    };
    this.ctx.attempts.push(a);
  }
}
