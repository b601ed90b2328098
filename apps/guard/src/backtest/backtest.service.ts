import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PolicyBacktestJob, type BacktestJob, type PolicyEvent } from '@gatehouse/contracts';
import { JOB_QUEUE, JOB_RECORDS, type JobQueue, type JobRecord, type JobRecords } from '@gatehouse/jobs';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { runBacktest, type BacktestResult, type BacktestSettings, type BacktestSubject } from './backtest-run';
import { TRACE_TEXT_SOURCE, type TraceTextSource } from './trace-text-source';

/** The version without its webhook headers (often credentials): backtests never call webhooks, and the queue need not hold them. */
function withoutHeaders(event: PolicyEvent): PolicyEvent {
  const checks = event.policy.checks.map((c) => (c.type === 'webhook' ? { ...c, headers: {} } : c));
  return { ...event, policy: { ...event.policy, checks } };
}

/** A backtest job's claim lapses this long after its guard died; another guard then runs it again. */
export const BACKTEST_LOCK_MS = 5_000;

/**
 * Backtests: small ranges answer inline; ranges over backtest.job_threshold_rows are queued as a
 * `policy.backtest` job (BullMQ with Redis, in-process otherwise) whose record (status, progress,
 * result) GET /admin/jobs/:id reads and DELETE /admin/jobs/:id cancels. A job whose guard dies
 * mid-run is taken over by another (or the restarted) guard and run again from the start; its
 * record is completed once.
 */
@Injectable()
export class BacktestService implements OnApplicationBootstrap {
  private readonly settings: BacktestSettings;
  private readonly threshold: number;

  constructor(
    @Inject(TRACE_TEXT_SOURCE) private readonly source: TraceTextSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(JOB_RECORDS) private readonly records: JobRecords,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    const b = runtime.config.backtest;
    this.settings = { pageRows: b.page_rows, rowsPerSecond: b.rows_per_second, sampleIds: b.sample_ids };
    this.threshold = b.job_threshold_rows;
  }

  onApplicationBootstrap(): void {
    this.queue.process(PolicyBacktestJob, (job) => this.runJob(job), { concurrency: 2, lockMs: BACKTEST_LOCK_MS });
  }

  /** The result at once, or the queued job's record when the range is over the threshold. */
  async start(subject: BacktestSubject): Promise<{ result: BacktestResult } | { job: JobRecord }> {
    const { total } = await this.source.count(subject.filter);
    if (total <= this.threshold) return { result: (await runBacktest(this.source, subject, this.settings, { total }))! };
    const id = `bt_${randomUUID()}`;
    const job = await this.records.create(id, PolicyBacktestJob.name);
    await this.records.update(id, { progress: { done: 0, total } });
    await this.queue.enqueue(PolicyBacktestJob, { job_id: id, ...subject, candidate: withoutHeaders(subject.candidate), active: subject.active && withoutHeaders(subject.active) }, { id, attempts: 1 });
    return { job: { ...job, progress: { done: 0, total } } };
  }

  private async runJob(job: BacktestJob): Promise<void> {
    const id = job.job_id;
    const record = await this.records.get(id);
    if (!record || record.status === 'completed' || record.status === 'cancelled') return;
    if (record.cancel_requested) return this.records.update(id, { status: 'cancelled', finished_at: Date.now() });
    await this.records.update(id, { status: 'running', started_at: Date.now(), runs: record.runs + 1 });
    let total = record.progress?.total ?? 0;
    try {
      total = (await this.source.count(job.filter)).total;
      const result = await runBacktest(this.source, job, this.settings, {
        total,
        onProgress: (done, of) => this.records.update(id, { progress: { done, total: of } }),
        cancelled: async () => (await this.records.get(id))?.cancel_requested ?? false,
      });
      await this.records.update(id, result === null ? { status: 'cancelled', finished_at: Date.now() } : { status: 'completed', finished_at: Date.now(), result });
    } catch (err) {
      await this.records.update(id, { status: 'failed', finished_at: Date.now(), error: (err as Error).message });
    }
  }
}
