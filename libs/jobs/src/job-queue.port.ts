import type { JobDef } from '@gatehouse/contracts';

export type JobHandler<T> = (payload: T) => Promise<void>;

/**
 * The job queue port. Adapters: BullMQ on Redis (REDIS_URL) and in-process (standalone).
 *
 * - enqueue() validates the payload (throws on a programmer error) and hands the job on; callers on
 *   the request path do not await it beyond the hand-off, and a queue failure never fails a request.
 * - process() runs the handler for every job of that kind, at most `concurrency` at a time. A handler
 *   that throws is retried (JOB_ATTEMPTS in all, with backoff); then the job is dropped and counted.
 * - close() stops taking jobs and waits for the running ones.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  enqueue<T>(job: JobDef<T>, payload: T): Promise<void>;
  process<T>(job: JobDef<T>, handler: JobHandler<T>, concurrency?: number): void;
  /** True when the queue's backing store answers (for /readyz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** Runs per job, the first included. */
export const JOB_ATTEMPTS = 3;
/** Delay before the second run; doubled for each further one. */
export const JOB_BACKOFF_MS = 500;
