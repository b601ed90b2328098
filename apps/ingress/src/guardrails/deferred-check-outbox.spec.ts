import type { AsyncCheckJob, JobDef } from '@gatehouse/contracts';
import type { EnqueueOptions, JobQueue } from '@gatehouse/jobs';
import { createLogger, registry } from '@gatehouse/observability';
import { DeferredCheckOutbox, deferredJobId } from './deferred-check-outbox';

const logger = createLogger('silent');

/** A job queue that refuses while `down`, and records what it took with the ids it was given. */
class FlakyQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  down = false;
  readonly taken: Array<{ request: string; id: string | undefined }> = [];
  async enqueue<T>(_job: JobDef<T>, payload: T, options: EnqueueOptions = {}): Promise<void> {
    if (this.down) throw new Error('Connection is closed.');
    this.taken.push({ request: (payload as AsyncCheckJob).request_id, id: options.id });
  }
  process(): void {}
  async healthy(): Promise<boolean> {
    return !this.down;
  }
  async close(): Promise<void> {}
}

const job = (n: number): AsyncCheckJob =>
  ({ request_id: `req-${n}`, policy_id: 'pol:a', policy_version: 1, check_index: 0, mode: 'enforce', stage: 'input', check_type: 'webhook', url: 'http://127.0.0.1:9/h', timeout_ms: 100, enqueued_at: 0, payload: { stage: 'input', text: 't', model: 'm', team: 't', key_id: 'k' } }) as AsyncCheckJob;

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};
const droppedTotal = async () => (await registry.getSingleMetric('gatehouse_guardrails_deferred_errors_total')?.get())?.values[0]?.value ?? 0;

describe('DeferredCheckOutbox', () => {
  it('holds the checks the queue refuses and hands all of them over, in order, once it takes jobs again', async () => {
    const q = new FlakyQueue();
    const outbox = new DeferredCheckOutbox(q, logger, { backoffMs: 5, maxBackoffMs: 20 });
    outbox.send(job(0));
    await until(() => q.taken.length === 1);
    q.down = true;
    for (let i = 1; i <= 5; i++) outbox.send(job(i));
    await until(() => outbox.size === 5);
    expect(outbox.size).toBe(5);
    await new Promise((r) => setTimeout(r, 60));
    q.down = false;
    outbox.send(job(6));
    await until(() => q.taken.length === 7);
    expect(q.taken.map((t) => t.request)).toEqual(['req-0', 'req-1', 'req-2', 'req-3', 'req-4', 'req-5', 'req-6']);
    expect(outbox.size).toBe(0);
  });

  it('gives each check a job id of its own, without the ":" BullMQ refuses', async () => {
    const q = new FlakyQueue();
    new DeferredCheckOutbox(q, logger).send(job(1));
    await until(() => q.taken.length === 1);
    expect(q.taken[0].id).toBe('req-1.pol_a.0.input');
    expect(deferredJobId(job(1))).not.toContain(':');
  });

  it('drops and counts only when maxPending checks already wait', async () => {
    const q = new FlakyQueue();
    q.down = true;
    const outbox = new DeferredCheckOutbox(q, logger, { maxPending: 3, backoffMs: 10_000 });
    const before = await droppedTotal();
    for (let i = 0; i < 5; i++) outbox.send(job(i));
    await until(() => outbox.size === 3);
    await new Promise((r) => setTimeout(r, 20));
    expect(outbox.size).toBe(3);
    expect((await droppedTotal()) - before).toBe(2);
    q.down = false;
    await outbox.close();
    expect(q.taken.map((t) => t.request)).toEqual(['req-0', 'req-1', 'req-2']);
  });
});
