import { z } from 'zod';
import { createLogger } from '@gatehouse/observability';
import { InProcessJobQueue } from './in-process-queue';
import { defineJob } from '@gatehouse/contracts';

const Echo = defineJob('test.echo', z.object({ n: z.number().int() }));
const logger = createLogger('silent');
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await tick(5);
  }
}

describe('InProcessJobQueue', () => {
  let queue: InProcessJobQueue;
  afterEach(async () => queue?.close());

  it('runs jobs enqueued before the handler registers, in order', async () => {
    queue = new InProcessJobQueue({ logger });
    const seen: number[] = [];
    await queue.enqueue(Echo, { n: 1 });
    await queue.enqueue(Echo, { n: 2 });
    expect(queue.pendingCount(Echo.name)).toBe(2);
    queue.process(Echo, async ({ n }) => void seen.push(n));
    await until(() => seen.length === 2);
    expect(seen).toEqual([1, 2]);
  });

  it('rejects a payload that does not match the job schema', async () => {
    queue = new InProcessJobQueue({ logger });
    await expect(queue.enqueue(Echo, { n: 1.5 })).rejects.toThrow();
    expect(queue.pendingCount(Echo.name)).toBe(0);
  });

  it('never runs more than `concurrency` handlers at once', async () => {
    queue = new InProcessJobQueue({ logger });
    let running = 0;
    let peak = 0;
    let done = 0;
    queue.process(Echo, async () => {
      running++;
      peak = Math.max(peak, running);
      await tick(10);
      running--;
      done++;
    }, { concurrency: 3 });
    for (let n = 0; n < 10; n++) await queue.enqueue(Echo, { n });
    await until(() => done === 10);
    expect(peak).toBe(3);
  });

  it('retries a failing handler with doubling backoff, then gives up after the last attempt', async () => {
    jest.useFakeTimers();
    try {
      queue = new InProcessJobQueue({ logger, attempts: 3, backoffMs: 5 });
      let attempts = 0;
      queue.process(Echo, async () => {
        attempts++;
        throw new Error('boom');
      });
      await queue.enqueue(Echo, { n: 1 });
      await jest.advanceTimersByTimeAsync(0);
      expect(attempts).toBe(1);
      // The clock only moves when the test moves it: the retries come exactly 5 ms and then 10 ms later, and no more.
      const counted: number[] = [];
      for (const ms of [4, 1, 9, 1, 60_000]) {
        await jest.advanceTimersByTimeAsync(ms);
        counted.push(attempts);
      }
      expect(counted).toEqual([1, 2, 2, 3, 3]);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a job that fails once and then succeeds runs exactly twice', async () => {
    queue = new InProcessJobQueue({ logger, backoffMs: 1 });
    let calls = 0;
    queue.process(Echo, async () => {
      calls++;
      if (calls === 1) throw new Error('transient');
    });
    await queue.enqueue(Echo, { n: 1 });
    await until(() => calls === 2);
    await tick(30);
    expect(calls).toBe(2);
  });

  it('bounds what it holds without a handler by dropping the oldest', async () => {
    queue = new InProcessJobQueue({ logger, maxPending: 2 });
    for (let n = 1; n <= 4; n++) await queue.enqueue(Echo, { n });
    const seen: number[] = [];
    queue.process(Echo, async ({ n }) => void seen.push(n));
    await until(() => seen.length === 2);
    expect(seen).toEqual([3, 4]);
  });

  it('close waits for running jobs and refuses new ones', async () => {
    queue = new InProcessJobQueue({ logger });
    let finished = false;
    queue.process(Echo, async () => {
      await tick(30);
      finished = true;
    });
    await queue.enqueue(Echo, { n: 1 });
    await tick(1);
    await queue.close();
    expect(finished).toBe(true);
    await expect(queue.enqueue(Echo, { n: 2 })).rejects.toThrow(/closed/);
  });

  it('refuses a second handler for the same job', () => {
    queue = new InProcessJobQueue({ logger });
    queue.process(Echo, async () => undefined);
    expect(() => queue.process(Echo, async () => undefined)).toThrow(/already registered/);
  });
});
