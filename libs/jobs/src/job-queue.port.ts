import type { JobDef } from '@gatehouse/contracts';

export type JobHandler<T> = (payload: T) => Promise<void>;

/** Per-job options of enqueue(). */
export interface EnqueueOptions {
  /** The job's id: a job whose id is already queued, running or kept as failed is not queued again. */
  id?: string;
  /** Runs in all, the first included (default JOB_ATTEMPTS). */
  attempts?: number;
  /** Delay before the second run, doubled for each further one (default JOB_BACKOFF_MS). */
  backoffMs?: number;
  /** With `id`: a job with this id done less than this many seconds ago is not queued again (default 0: forgotten once done). */
  keepDoneS?: number;
}

/** Per-kind options of process(). */
export interface ProcessOptions {
  /** Handlers running at once in this process (default 1). */
  concurrency?: number;
  /**
   * How long a running job stays claimed by a process that stopped answering (killed) before another
   * worker runs it again (BullMQ lock duration and stalled-job check; default BullMQ's 30 s).
   */
  lockMs?: number;
  /** Called once when a job failed its last attempt (not for the runs before it). */
  onFailed?: (payload: unknown, error: Error, attempts: number) => void;
}

/**
 * The job queue port. Adapters: BullMQ on Redis (REDIS_URL) and in-process (standalone).
 *
 * - enqueue() validates the payload (throws on a programmer error) and hands the job on; callers on
 *   the request path do not await it beyond the hand-off, and a queue failure never fails a request.
 * - process() runs the handler for every job of that kind, at most `concurrency` at a time. A handler
 *   that throws is retried (JOB_ATTEMPTS in all unless the job says otherwise, with backoff); then
 *   onFailed is told, and the job is dropped and counted.
 * - close() stops taking jobs and waits for the running ones.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  enqueue<T>(job: JobDef<T>, payload: T, options?: EnqueueOptions): Promise<void>;
  process<T>(job: JobDef<T>, handler: JobHandler<T>, options?: ProcessOptions): void;
  /** True when the queue's backing store answers (for /readyz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** Runs per job, the first included. */
export const JOB_ATTEMPTS = 3;
/** Delay before the second run; doubled for each further one. */
export const JOB_BACKOFF_MS = 500;
