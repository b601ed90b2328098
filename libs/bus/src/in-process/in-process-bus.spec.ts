import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { DlqTopic, type DlqRecord, defineTopic } from '@gatehouse/contracts';
import type { Bus, Delivered } from '../bus.port';
import { createInProcessBus } from './in-process-bus';

const logger = pino({ level: 'silent' });
const Item = z.object({ n: z.number().int(), label: z.string() });
type Item = z.infer<typeof Item>;
const Items = defineTopic('test.items.v1', Item);
const State = defineTopic('test.state.v1', Item, true);

async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('in-process bus', () => {
  let dir: string;
  const buses: Bus[] = [];
  const open = (dataDir: string | null = dir) => {
    const b = createInProcessBus({ dataDir, logger });
    buses.push(b);
    return b;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gh-bus-'));
  });

  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers published values to a subscriber in order, in batches no larger than maxBatchSize', async () => {
    const bus = open(null);
    const batches: Delivered<Item>[][] = [];
    await bus.subscribe(Items, { group: 'g', fromBeginning: true, maxBatchSize: 4 }, async (b) => {
      batches.push(b);
    });
    for (let n = 0; n < 10; n++) bus.publish(Items, `k${n}`, { n, label: `v${n}` });
    await waitFor(() => batches.flat().length === 10, '10 messages');
    expect(batches.flat().map((d) => d.value!.n)).toEqual([...Array(10).keys()]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(4);
    expect(batches[0]![0]).toMatchObject({ topic: 'test.items.v1', key: 'k0', offset: '0' });
    expect(bus.stats().published).toBe(10);
  });

  it('fill: messages trickling in are handed over together after maxWaitMs, not one by one; a full batch goes at once', async () => {
    const bus = open(null);
    const filled: number[][] = [];
    const eager: number[][] = [];
    await bus.subscribe(Items, { group: 'filled', fromBeginning: true, maxBatchSize: 50, maxWaitMs: 400, fill: true }, async (b) => {
      filled.push(b.map((d) => d.value!.n));
    });
    await bus.subscribe(Items, { group: 'eager', fromBeginning: true, maxBatchSize: 50 }, async (b) => {
      eager.push(b.map((d) => d.value!.n));
    });
    for (let n = 0; n < 5; n++) {
      bus.publish(Items, `k${n}`, { n, label: `v${n}` });
      await new Promise((r) => setTimeout(r, 40));
    }
    await waitFor(() => filled.flat().length === 5, '5 filled messages');
    expect(filled).toEqual([[0, 1, 2, 3, 4]]);
    expect(eager.length).toBeGreaterThanOrEqual(3);
    const t0 = Date.now();
    for (let n = 5; n < 55; n++) bus.publish(Items, `k${n}`, { n, label: `v${n}` });
    await waitFor(() => filled.flat().length === 55, '50 more filled messages');
    expect(filled[1]).toHaveLength(50);
    expect(Date.now() - t0).toBeLessThan(300);
  });

  it('a slow group gets every message while a fast group on the same topic has moved past it (nothing trimmed before every subscribed group read it)', async () => {
    for (const dataDir of [null, dir]) {
      const bus = open(dataDir);
      const fast: number[] = [];
      const slow: number[] = [];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      await bus.subscribe(Items, { group: 'fast', fromBeginning: true }, async (b) => {
        fast.push(...b.map((d) => d.value!.n));
      });
      await bus.subscribe(Items, { group: 'slow', fromBeginning: true }, async (b) => {
        slow.push(...b.map((d) => d.value!.n));
        await held; // the first batch is slow, like a cold ClickHouse insert
      });
      bus.publish(Items, 'k0', { n: 0, label: 'first' });
      await waitFor(() => fast.length === 1 && slow.length === 1, 'both groups got message 0');
      bus.publish(Items, 'k1', { n: 1, label: 'second' });
      await waitFor(() => fast.length === 2, 'the fast group got message 1');
      await new Promise((r) => setTimeout(r, 20));
      release();
      await waitFor(() => slow.length === 2, `the slow group got message 1 (got ${JSON.stringify(slow)})`, 2000);
      expect(slow).toEqual([0, 1]);
      await bus.close();
    }
  });

  it('rejects a value that breaks the schema at publish time', () => {
    const bus = open(null);
    expect(() => bus.publish(Items, 'k', { n: 1.5, label: 'x' })).toThrow(/invalid value for topic test.items.v1/);
    expect(() => bus.publish(Items, 'k', null)).toThrow(/tombstone/);
  });

  it('retries a failing handler with the same batch and never skips it', async () => {
    const bus = open(null);
    const calls: number[][] = [];
    let failures = 2;
    const sub = await bus.subscribe(Items, { group: 'g', fromBeginning: true }, async (b) => {
      calls.push(b.map((d) => d.value!.n));
      if (failures-- > 0) throw new Error('store down');
    });
    bus.publish(Items, 'a', { n: 1, label: 'a' });
    bus.publish(Items, 'b', { n: 2, label: 'b' });
    await waitFor(() => calls.length >= 3, 'two retries');
    expect(calls[0]).toEqual(calls[1]);
    expect(calls[1]).toEqual(calls[2]);
    expect(await sub.lag()).toBe(0);
  });

  it('after a restart from the same dataDir, replays only what the group had not committed', async () => {
    const first = open();
    const seen: number[] = [];
    const sub = await first.subscribe(Items, { group: 'ingest', fromBeginning: true }, async (b) => {
      seen.push(...b.map((d) => d.value!.n));
    });
    for (let n = 1; n <= 3; n++) first.publish(Items, `k${n}`, { n, label: 'x' });
    await waitFor(() => seen.length === 3, 'first three');
    await sub.close();
    first.publish(Items, 'k4', { n: 4, label: 'y' });
    first.publish(Items, 'k5', { n: 5, label: 'y' });
    await first.close();

    const second = open();
    const replayed: Delivered<Item>[] = [];
    await second.subscribe(Items, { group: 'ingest', fromBeginning: true }, async (b) => {
      replayed.push(...b);
    });
    await waitFor(() => replayed.length === 2, 'uncommitted two');
    expect(replayed.map((d) => [d.offset, d.value!.n])).toEqual([['3', 4], ['4', 5]]);
    second.publish(Items, 'k6', { n: 6, label: 'z' });
    await waitFor(() => replayed.length === 3, 'new message');
    expect(replayed[2]!.offset).toBe('5');
  });

  it('a handler that never succeeded before shutdown gets its batch again after restart', async () => {
    const first = open();
    let attempts = 0;
    await first.subscribe(Items, { group: 'g', fromBeginning: true }, async () => {
      attempts++;
      throw new Error('always failing');
    });
    first.publish(Items, 'k', { n: 7, label: 'x' });
    await waitFor(() => attempts >= 1, 'a failed attempt');
    await first.close();

    const second = open();
    const got: number[] = [];
    await second.subscribe(Items, { group: 'g', fromBeginning: true }, async (b) => {
      got.push(...b.map((d) => d.value!.n));
    });
    await waitFor(() => got.length === 1, 'redelivery');
    expect(got).toEqual([7]);
  });

  it('watch replays the latest value per key, honours tombstones across restarts, then streams changes', async () => {
    const first = open();
    first.publish(State, 'a', { n: 1, label: 'a1' });
    first.publish(State, 'b', { n: 2, label: 'b1' });
    first.publish(State, 'a', { n: 3, label: 'a2' });
    first.publish(State, 'b', null);
    const live = new Map<string, Item>();
    await first.watch(State, (k, v) => (v === null ? live.delete(k) : live.set(k, v)));
    expect([...live]).toEqual([['a', { n: 3, label: 'a2' }]]);
    await first.close();

    const second = open();
    const state = new Map<string, Item>();
    const changes: [string, Item | null][] = [];
    await second.watch(State, (k, v) => {
      changes.push([k, v]);
      if (v === null) state.delete(k);
      else state.set(k, v);
    });
    expect(changes).toEqual([['a', { n: 3, label: 'a2' }]]);
    second.publish(State, 'c', { n: 4, label: 'c1' });
    second.publish(State, 'a', null);
    await waitFor(() => changes.length === 3, 'live changes');
    expect([...state]).toEqual([['c', { n: 4, label: 'c1' }]]);
  });

  it('sends a stored message that no longer passes the schema to the DLQ and consumes the next one', async () => {
    const first = open();
    first.publish(Items, 'ok1', { n: 1, label: 'fine' });
    await first.close();
    const segDir = join(dir, 'bus', encodeURIComponent(Items.name));
    const seg = readdirSync(segDir).find((f) => f.endsWith('.jsonl'))!;
    appendFileSync(join(segDir, seg), JSON.stringify({ o: 1, k: 'bad', v: '{"n":"nope"}', t: Date.now() }) + '\n');
    appendFileSync(join(segDir, seg), JSON.stringify({ o: 2, k: 'ok2', v: '{"n":2,"label":"fine"}', t: Date.now() }) + '\n');

    const second = open();
    const dlq: DlqRecord[] = [];
    await second.subscribe(DlqTopic, { group: 'dlq-reader', fromBeginning: true }, async (b) => {
      dlq.push(...b.map((d) => d.value!));
    });
    const good: string[] = [];
    await second.subscribe(Items, { group: 'g', fromBeginning: true }, async (b) => {
      good.push(...b.map((d) => d.key!));
    });
    await waitFor(() => good.length === 2 && dlq.length === 1, 'DLQ record and good messages');
    expect(good).toEqual(['ok1', 'ok2']);
    expect(dlq[0]).toMatchObject({ source_topic: Items.name, partition: 0, offset: '1', key: 'bad', value: '{"n":"nope"}', consumer_group: 'g' });
    expect(dlq[0]!.reason).toMatch(/schema/);
  });

  it('deletes log segments once every group committed past them', async () => {
    const bus = open();
    let consumed = 0;
    await bus.subscribe(Items, { group: 'g', fromBeginning: true, maxBatchSize: 5000 }, async (b) => {
      consumed += b.length;
    });
    for (let n = 0; n < 25_000; n++) bus.publish(Items, `k${n}`, { n, label: 'x' });
    await waitFor(() => consumed === 25_000, 'all consumed', 20_000);
    await bus.flush();
    bus.publish(Items, 'last', { n: 0, label: 'x' });
    await waitFor(() => consumed === 25_001, 'last consumed');
    await bus.flush();
    const segs = readdirSync(join(dir, 'bus', encodeURIComponent(Items.name)));
    expect(segs.length).toBe(1);
  });
});
