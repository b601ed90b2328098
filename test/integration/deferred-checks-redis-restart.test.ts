import { GuardrailAsyncCheckJob, type AsyncCheckJob } from '@gatehouse/contracts';
import { createJobQueue, type JobQueue } from '@gatehouse/jobs';
import { createLogger } from '@gatehouse/observability';
import { DeferredCheckOutbox } from '../../apps/ingress/src/guardrails/deferred-check-outbox';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRedis } = require('../support/services/redis') as { startRedis: () => Promise<{ url: string; stop(): Promise<void>; restart(downMs?: number): Promise<void> }> };

const logger = createLogger('silent');
const job = (n: number): AsyncCheckJob =>
  ({ request_id: `req-${n}`, policy_id: 'moderation', policy_version: 2, check_index: 0, mode: 'enforce', stage: 'input', check_type: 'webhook', url: 'http://127.0.0.1:9/hook', timeout_ms: 500, enqueued_at: Date.now(), payload: { stage: 'input', text: `text ${n}`, model: 'm', team: 't', key_id: 'k' } }) as AsyncCheckJob;

let redis: Awaited<ReturnType<typeof startRedis>>;
let producer: JobQueue;
let worker: JobQueue;

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, KAFKA_BROKERS: 'unused:9092' };
  producer = createJobQueue(env, logger);
  worker = createJobQueue(env, logger);
});
afterAll(async () => {
  await producer?.close();
  await worker?.close();
  await redis?.stop();
});

describe('async guardrail checks across a Redis restart (BullMQ)', () => {
  it('every check the ingress hands over while Redis is down reaches a guard worker once Redis is back, each exactly once', async () => {
    expect(producer.kind).toBe('bullmq');
    const ran: string[] = [];
    worker.process(GuardrailAsyncCheckJob, async (j) => void ran.push(j.request_id), { concurrency: 4 });
    const outbox = new DeferredCheckOutbox(producer, logger, { backoffMs: 50, maxBackoffMs: 500 });
    for (let i = 0; i < 10; i++) outbox.send(job(i));
    const until = async (cond: () => boolean, ms: number, probe?: () => Promise<void>) => {
      const end = Date.now() + ms;
      for (;;) {
        await probe?.();
        if (cond() || Date.now() >= end) return;
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until(() => ran.length === 10, 10_000);
    expect(ran).toHaveLength(10);

    const restarting = redis.restart(2_000);
    let down = false;
    await until(() => down, 5_000, async () => void (down = !(await producer.healthy())));
    expect(down).toBe(true);
    for (let i = 10; i < 40; i++) outbox.send(job(i));
    await until(() => outbox.size > 0, 1_500);
    const heldWhileDown = outbox.size;
    await restarting;
    await until(() => ran.length === 40, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(heldWhileDown).toBeGreaterThan(0);
    expect(outbox.size).toBe(0);
    expect(ran).toHaveLength(40);
    expect(new Set(ran)).toEqual(new Set(Array.from({ length: 40 }, (_, i) => `req-${i}`)));
  }, 60_000);
});
