import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '@gatehouse/observability';
import type { JobDef } from '@gatehouse/contracts';
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, type EnqueueOptions, type JobHandler, type JobQueue, type ProcessOptions } from './job-queue.port';
import { jobsEnqueued, jobsFinished } from './job-metrics';

export interface BullMqQueueOptions {
  redisUrl: string;
  logger: Logger;
  /** Redis key prefix of every queue (default "gatehouse"). */
  prefix?: string;
}

/** The URL without its password, for logs. */
export function redactedRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://<unparseable>';
  }
}

/**
 * Jobs in Redis through BullMQ: any process may enqueue, the processes that call process() (guard
 * workers) run them. Completed jobs are removed at once (payloads can hold prompt text); failed
 * ones are kept, last 1 000, for inspection (so a failed job's id is not queued again until then).
 */
export class BullMqJobQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly producer: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Array<{ worker: Worker; connection: Redis }> = [];
  private readonly prefix: string;

  constructor(private readonly opts: BullMqQueueOptions) {
    this.prefix = opts.prefix ?? 'gatehouse';
    this.producer = new Redis(opts.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
    this.producer.on('error', (err: Error) => opts.logger.warn({ err: err.message, redis: redactedRedisUrl(opts.redisUrl) }, 'job queue: redis error'));
  }

  async enqueue<T>(job: JobDef<T>, payload: T, options: EnqueueOptions = {}): Promise<void> {
    const value = job.schema.parse(payload);
    await this.queue(job.name).add(job.name, value, {
      ...(options.id !== undefined ? { jobId: options.id } : {}),
      attempts: options.attempts ?? JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: options.backoffMs ?? JOB_BACKOFF_MS },
      removeOnComplete: options.keepDoneS ? { age: options.keepDoneS } : true,
      removeOnFail: 1000,
    });
    jobsEnqueued.inc({ job: job.name });
  }

  process<T>(job: JobDef<T>, handler: JobHandler<T>, options: ProcessOptions = {}): void {
    const connection = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const lock = options.lockMs !== undefined ? { lockDuration: options.lockMs, stalledInterval: options.lockMs } : {};
    const worker = new Worker(job.name, async (j) => handler(job.schema.parse(j.data)), { connection, prefix: this.prefix, concurrency: Math.max(1, options.concurrency ?? 1), ...lock });
    worker.on('completed', () => jobsFinished.inc({ job: job.name, outcome: 'done' }));
    worker.on('failed', (j, err) => {
      if (j && j.attemptsMade < (j.opts.attempts ?? 1)) return;
      jobsFinished.inc({ job: job.name, outcome: 'failed' });
      this.opts.logger.warn({ job: job.name, attempts: j?.attemptsMade, err: err.message }, 'job failed after its last attempt');
      if (j) options.onFailed?.(j.data, err, j.attemptsMade);
    });
    worker.on('error', (err) => this.opts.logger.warn({ job: job.name, err: err.message }, 'job worker error'));
    this.workers.push({ worker, connection });
  }

  /** Answers at once while the connection is down (no wait for the offline queue): /readyz stays fast during an outage. */
  async healthy(): Promise<boolean> {
    if (this.producer.status !== 'ready') return false;
    try {
      return (await this.producer.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map(({ worker }) => worker.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    for (const { connection } of this.workers) connection.disconnect();
    this.producer.disconnect();
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.producer, prefix: this.prefix });
      q.on('error', (err: Error) => this.opts.logger.warn({ job: name, err: err.message }, 'job queue error'));
      this.queues.set(name, q);
    }
    return q;
  }
}
