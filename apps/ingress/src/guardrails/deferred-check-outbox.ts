import { GuardrailAsyncCheckJob, type AsyncCheckJob } from '@gatehouse/contracts';
import type { JobQueue } from '@gatehouse/jobs';
import { type Logger, counter, gauge } from '@gatehouse/observability';

const dropped = counter('gatehouse_guardrails_deferred_errors_total', 'Async guardrail checks dropped: the job queue did not take them and the outbox was full');
const waiting = gauge('gatehouse_guardrails_deferred_pending', 'Async guardrail checks waiting for the job queue (Redis) to take them');

export interface OutboxOptions {
  /** Checks held while the queue refuses them; one more is dropped and counted. */
  maxPending?: number;
  /** First retry delay; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** The job id of a deferred check: one job per (request, policy, check, stage), so a resend of one the queue took after all is not run twice while it waits. */
export const deferredJobId = (j: AsyncCheckJob): string => `${j.request_id}.${j.policy_id}.${j.check_index}.${j.stage}`.replace(/:/g, '_');

/**
 * Hands async guardrail checks to the job queue without ever waiting on the request path. A check
 * the queue refuses (Redis restarting) is held in memory, in order, and sent again with backoff
 * until the queue takes it; only when maxPending checks are already waiting is one dropped (counted,
 * logged at most every 30 s). Held checks die with the process (a SIGTERM waits for them up to
 * close()'s timeout).
 */
export class DeferredCheckOutbox {
  private pending: AsyncCheckJob[] = [];
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private flushing: Promise<void> | null = null;
  private lastWarn = 0;
  private readonly maxPending: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly jobs: JobQueue,
    private readonly log: Logger,
    opts: OutboxOptions = {},
  ) {
    this.maxPending = opts.maxPending ?? 10_000;
    this.backoffMs = opts.backoffMs ?? 200;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5_000;
  }

  send(job: AsyncCheckJob): void {
    if (this.pending.length > 0) return this.hold(job, null);
    this.jobs.enqueue(GuardrailAsyncCheckJob, job, { id: deferredJobId(job) }).catch((err: unknown) => this.hold(job, err));
  }

  get size(): number {
    return this.pending.length;
  }

  /** Stops retrying after one last attempt of at most timeoutMs; what is still held then is logged as lost. */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length > 0) await Promise.race([this.flush(), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    if (this.pending.length > 0) this.log.error({ checks: this.pending.length }, 'async guardrail checks not handed to the job queue before shutdown');
  }

  private hold(job: AsyncCheckJob, err: unknown): void {
    if (this.pending.length >= this.maxPending) {
      dropped.inc();
      this.warn({ err: (err as Error | null)?.message, request_id: job.request_id, policy: job.policy_id }, 'async guardrail check dropped: job queue unavailable and outbox full');
      return;
    }
    this.pending.push(job);
    waiting.set(this.pending.length);
    if (err) this.warn({ err: (err as Error)?.message, pending: this.pending.length }, 'job queue refused an async guardrail check; holding it and retrying');
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    const wait = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** Math.min(this.failures, 16));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
    this.timer.unref();
  }

  private flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null;
      if (this.pending.length > 0) this.schedule();
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const job = this.pending[0];
      try {
        await this.jobs.enqueue(GuardrailAsyncCheckJob, job, { id: deferredJobId(job) });
      } catch {
        this.failures++;
        return;
      }
      this.pending.shift();
      waiting.set(this.pending.length);
      this.failures = 0;
    }
    this.log.info('job queue takes async guardrail checks again; every held check was handed over');
  }

  private warn(fields: Record<string, unknown>, msg: string): void {
    const now = Date.now();
    if (now - this.lastWarn < 30_000) return;
    this.lastWarn = now;
    this.log.warn(fields, msg);
  }
}
