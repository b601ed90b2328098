import type { Logger } from '@gatehouse/observability';
import type { JobDef } from '@gatehouse/contracts';
import { JOB_ATTEMPTS, JOB_BACKOFF_MS, type EnqueueOptions, type JobHandler, type JobQueue, type ProcessOptions } from './job-queue.port';
import { jobsEnqueued, jobsFinished } from './job-metrics';

export interface InProcessQueueOptions {
  logger: Logger;
  /** Jobs held per kind while no handler runs them; beyond it the oldest is dropped (default 10 000). */
  maxPending?: number;
  attempts?: number;
  backoffMs?: number;
}

interface Item {
  payload: unknown;
  attempt: number;
  id: string | null;
  attempts: number;
  backoffMs: number;
  keepDoneMs: number;
}

interface Lane {
  readonly pending: Item[];
  handler: JobHandler<unknown> | null;
  schema: JobDef<unknown>['schema'] | null;
  concurrency: number;
  running: number;
  onFailed: ProcessOptions['onFailed'] | null;
  /** Ids of the jobs queued or running (an enqueue with a known id is a no-op). */
  readonly ids: Set<string>;
}

/**
 * Jobs run in this process (standalone without REDIS_URL). Nothing survives a restart: the jobs
 * it carries (async guardrail checks) only ever add a flag verdict, so losing one loses a record,
 * never a decision.
 */
export class InProcessJobQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly lanes = new Map<string, Lane>();
  private readonly active = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly maxPending: number;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(private readonly opts: InProcessQueueOptions) {
    this.maxPending = opts.maxPending ?? 10_000;
    this.attempts = opts.attempts ?? JOB_ATTEMPTS;
    this.backoffMs = opts.backoffMs ?? JOB_BACKOFF_MS;
  }

  async enqueue<T>(job: JobDef<T>, payload: T, options: EnqueueOptions = {}): Promise<void> {
    const value = job.schema.parse(payload);
    if (this.closed) throw new Error(`job queue is closed; "${job.name}" not enqueued`);
    const lane = this.lane(job.name);
    const id = options.id ?? null;
    if (id !== null) {
      if (lane.ids.has(id)) return;
      lane.ids.add(id);
    }
    lane.pending.push({ payload: value, attempt: 1, id, attempts: options.attempts ?? this.attempts, backoffMs: options.backoffMs ?? this.backoffMs, keepDoneMs: (options.keepDoneS ?? 0) * 1000 });
    jobsEnqueued.inc({ job: job.name });
    if (lane.pending.length > this.maxPending) {
      const dropped = lane.pending.shift()!;
      if (dropped.id !== null) lane.ids.delete(dropped.id);
      jobsFinished.inc({ job: job.name, outcome: 'dropped' });
      this.opts.logger.warn({ job: job.name, max_pending: this.maxPending }, 'job queue full with no worker: dropped the oldest job');
    }
    this.pump(job.name, lane);
  }

  process<T>(job: JobDef<T>, handler: JobHandler<T>, options: ProcessOptions = {}): void {
    const lane = this.lane(job.name);
    if (lane.handler) throw new Error(`a handler for "${job.name}" is already registered`);
    lane.handler = handler as JobHandler<unknown>;
    lane.schema = job.schema as JobDef<unknown>['schema'];
    lane.concurrency = Math.max(1, options.concurrency ?? 1);
    lane.onFailed = options.onFailed ?? null;
    this.pump(job.name, lane);
  }

  async healthy(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.active]);
  }

  /** Jobs waiting for a handler or a free slot, by kind (for tests and /readyz detail). */
  pendingCount(name: string): number {
    return this.lanes.get(name)?.pending.length ?? 0;
  }

  /** Forgets a done job's id (at once, or after keepDoneMs so a repeat within it is not queued). */
  private forget(lane: Lane, id: string, keepDoneMs: number): void {
    if (keepDoneMs <= 0) return void lane.ids.delete(id);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      lane.ids.delete(id);
    }, keepDoneMs);
    timer.unref();
    this.timers.add(timer);
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) this.lanes.set(name, (lane = { pending: [], handler: null, schema: null, concurrency: 1, running: 0, onFailed: null, ids: new Set() }));
    return lane;
  }

  private pump(name: string, lane: Lane): void {
    while (!this.closed && lane.handler && lane.running < lane.concurrency && lane.pending.length > 0) {
      const item = lane.pending.shift()!;
      lane.running++;
      const run = this.runOne(name, lane, item).finally(() => {
        lane.running--;
        this.active.delete(run);
        this.pump(name, lane);
      });
      this.active.add(run);
    }
  }

  private async runOne(name: string, lane: Lane, item: Item): Promise<void> {
    try {
      await lane.handler!(lane.schema!.parse(item.payload));
      jobsFinished.inc({ job: name, outcome: 'done' });
      if (item.id !== null) this.forget(lane, item.id, item.keepDoneMs);
    } catch (err) {
      if (item.attempt >= item.attempts || this.closed) {
        jobsFinished.inc({ job: name, outcome: 'failed' });
        if (item.id !== null) lane.ids.delete(item.id);
        this.opts.logger.warn({ job: name, attempts: item.attempt, err: (err as Error).message }, 'job failed after its last attempt; dropped');
        lane.onFailed?.(item.payload, err instanceof Error ? err : new Error(String(err)), item.attempt);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        lane.pending.push({ ...item, attempt: item.attempt + 1 });
        this.pump(name, lane);
      }, item.backoffMs * 2 ** (item.attempt - 1));
      timer.unref();
      this.timers.add(timer);
    }
  }
}
