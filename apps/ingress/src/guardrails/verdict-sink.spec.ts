import type { Bus } from '@gatehouse/bus';
import { type Verdict, GuardrailAsyncCheckJob, type AsyncCheckJob, type JobDef } from '@gatehouse/contracts';
import type { DeferredCheck } from '@gatehouse/guardrails';
import { InProcessJobQueue, type JobQueue } from '@gatehouse/jobs';
import { createLogger } from '@gatehouse/observability';
import { VerdictSink } from './verdict-sink';
import { DeferredCheckOutbox } from './deferred-check-outbox';

const logger = createLogger('silent');

const deferred: DeferredCheck = {
  requestId: 'req-9',
  policyId: 'mod',
  policyVersion: 4,
  checkIndex: 1,
  mode: 'enforce',
  stage: 'input',
  config: { type: 'webhook', stage: 'input', action: 'flag', url: 'http://127.0.0.1:9/hook', timeout_ms: 300, async: true, headers: { 'x-token': 'hook-secret' } },
  payload: { stage: 'input', text: 'hello', model: 'm', team: 't', key_id: 'k' },
};

const verdict = { verdict_id: 'v1', request_id: 'req-9' } as Verdict;

describe('VerdictSink', () => {
  it('publishes verdicts and hands each async check to the job queue without its webhook headers, running none itself', async () => {
    const published: unknown[] = [];
    const bus = { publish: (_t: unknown, key: string, v: unknown) => void published.push([key, v]) } as unknown as Bus;
    const queue = new InProcessJobQueue({ logger });
    const jobs: AsyncCheckJob[] = [];
    new VerdictSink(bus, new DeferredCheckOutbox(queue, logger)).publish([verdict], [deferred]);
    queue.process(GuardrailAsyncCheckJob, async (job) => void jobs.push(job));
    await new Promise((r) => setTimeout(r, 20));
    expect(published).toEqual([['req-9', verdict]]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ request_id: 'req-9', policy_id: 'mod', policy_version: 4, check_index: 1, url: 'http://127.0.0.1:9/hook', payload: { text: 'hello' } });
    expect(JSON.stringify(jobs[0])).not.toContain('hook-secret');
    await queue.close();
  });

  it('a queue that refuses the job neither throws nor stops the verdicts', async () => {
    const published: unknown[] = [];
    const bus = { publish: (_t: unknown, key: string) => void published.push(key) } as unknown as Bus;
    const broken: JobQueue = {
      kind: 'bullmq',
      enqueue: <T>(_job: JobDef<T>, _payload: T) => Promise.reject(new Error('redis down')),
      process: () => undefined,
      healthy: async () => false,
      close: async () => undefined,
    };
    expect(() => new VerdictSink(bus, new DeferredCheckOutbox(broken, logger)).publish([verdict], [deferred])).not.toThrow();
    await new Promise((r) => setTimeout(r, 10));
    expect(published).toEqual(['req-9']);
  });
});
