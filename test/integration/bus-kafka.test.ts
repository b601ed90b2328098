import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pino from 'pino';
import { z } from 'zod';
import { DlqTopic, type DlqRecord, defineTopic, type TopicDef } from '@gatehouse/contracts';
import { registry } from '@gatehouse/observability';
import { type Delivered, type Subscription, createKafkaBus, type KafkaBus } from '@gatehouse/bus';

const Item = z.object({ n: z.number().int(), label: z.string() });
type Item = z.infer<typeof Item>;

function brokers(): string[] {
  const v = process.env.KAFKA_BROKERS;
  if (!v) throw new Error('KAFKA_BROKERS is not set: test/support/global-setup.js should have started Kafka');
  return v.split(',');
}

async function waitFor(cond: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Kafka bus adapter', () => {
  const logger = pino({ level: 'warn' });
  let bus: KafkaBus;
  let admin: Admin;
  const subs: Subscription[] = [];
  const topicsMade: string[] = [];

  async function makeTopic(compacted = false, partitions = 1): Promise<TopicDef<Item>> {
    const name = `test.bus.${randomUUID()}`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: name, numPartitions: partitions, configEntries: compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [] }],
    });
    topicsMade.push(name);
    return defineTopic(name, Item, compacted);
  }

  beforeAll(async () => {
    admin = new Kafka({ brokers: brokers(), clientId: 'bus-kafka-test-admin', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    bus = await createKafkaBus({ brokers: brokers(), clientId: 'bus-kafka-test', logger });
    await bus.ensureTopics();
  });

  afterEach(async () => {
    await Promise.all(subs.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await bus.close();
    await admin.deleteTopics({ topics: topicsMade }).catch(() => undefined);
    await admin.disconnect();
  });

  it('ensureTopics creates the product topics, the compacted ones with cleanup.policy=compact', async () => {
    const topics = await admin.listTopics();
    expect(topics).toEqual(expect.arrayContaining(['gatehouse.traces.v1', 'gatehouse.policies.v1', 'gatehouse.keys.v1', 'gatehouse.dlq.v1']));
    const meta = await admin.fetchTopicMetadata({ topics: ['gatehouse.traces.v1', 'gatehouse.policies.v1'] });
    const parts = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    expect(parts).toEqual({ 'gatehouse.traces.v1': 3, 'gatehouse.policies.v1': 1 });
    const cfg = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: 'gatehouse.policies.v1', configNames: ['cleanup.policy'] }],
    });
    expect(cfg.resources[0]!.configEntries[0]!.configValue).toBe('compact');
    await expect(bus.ensureTopics()).resolves.toBeUndefined();
  });

  it('publish returns at once and a subscriber receives the validated values', async () => {
    const topic = await makeTopic(false, 3);
    const got: Delivered<Item>[] = [];
    subs.push(await bus.subscribe(topic, { group: `g-${randomUUID()}`, fromBeginning: true }, async (b) => {
      got.push(...b);
    }));
    const before = bus.stats().published;
    for (let n = 0; n < 50; n++) bus.publish(topic, `k${n}`, { n, label: `item ${n}` });
    await bus.flush(10_000);
    expect(bus.stats().published - before).toBe(50);
    await waitFor(() => got.length >= 50, 30_000, '50 messages');
    expect(got.map((d) => d.value!.n).sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(got.find((d) => d.key === 'k7')!.value).toEqual({ n: 7, label: 'item 7' });
    const metrics = await registry.getSingleMetricAsString('gatehouse_bus_published_total');
    expect(metrics).toContain(`topic="${topic.name}"`);
  });

  it('fill: messages trickling in reach a filling subscriber in one or two fetches (a batch per partition), an eager one as they come', async () => {
    const topic = await makeTopic(false, 3);
    const filled: number[][] = [];
    const eager: number[][] = [];
    subs.push(await bus.subscribe(topic, { group: `fill-${randomUUID()}`, fromBeginning: true, maxWaitMs: 2_000, fill: true }, async (b) => {
      filled.push(b.map((d) => d.value!.n));
    }));
    subs.push(await bus.subscribe(topic, { group: `eager-${randomUUID()}`, fromBeginning: true }, async (b) => {
      eager.push(b.map((d) => d.value!.n));
    }));
    // One message every 100 ms, over all three partitions, each in its own produce request (the publish buffer lingers 50 ms).
    for (let n = 0; n < 6; n++) {
      bus.publish(topic, `k${n}`, { n, label: `item ${n}` });
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(() => filled.flat().length >= 6 && eager.flat().length >= 6, 30_000, 'both groups got 6 messages');
    expect(filled.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(filled.length).toBeLessThanOrEqual(2 * 3);
    expect(eager.length).toBeGreaterThanOrEqual(4);
    expect(filled.length).toBeLessThan(eager.length);
  });

  it('publish throws on a value that breaks the topic schema', async () => {
    const topic = await makeTopic();
    expect(() => bus.publish(topic, 'k', { n: 'x' } as unknown as Item)).toThrow(/invalid value/);
  });

  it('commits only after the handler resolved: a failed batch is redelivered, committed messages are not', async () => {
    const topic = await makeTopic();
    const group = `g-${randomUUID()}`;
    const calls: number[][] = [];
    let failOnce = true;
    const first = await bus.subscribe(topic, { group, fromBeginning: true }, async (b) => {
      calls.push(b.map((d) => d.value!.n));
      if (failOnce) {
        failOnce = false;
        throw new Error('transient handler failure');
      }
    });
    for (let n = 1; n <= 3; n++) bus.publish(topic, `k${n}`, { n, label: 'a' });
    await bus.flush();
    await waitFor(() => calls.flat().filter((n) => n === 3).length >= 2, 30_000, 'redelivery');
    const firstCall = calls[0]!;
    expect(calls[1]!.slice(0, firstCall.length)).toEqual(firstCall);
    await first.close();

    bus.publish(topic, 'k4', { n: 4, label: 'b' });
    await bus.flush();
    const seen: number[] = [];
    subs.push(await bus.subscribe(topic, { group, fromBeginning: true }, async (b) => {
      seen.push(...b.map((d) => d.value!.n));
    }));
    await waitFor(() => seen.includes(4), 30_000, 'message 4');
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual([4]);
    expect(await subs[0]!.lag()).toBe(0);
  });

  it('sends a malformed message to the DLQ with reason and origin, and consumes the next good one', async () => {
    const topic = await makeTopic();
    const group = `g-${randomUUID()}`;
    const raw = new Kafka({ brokers: brokers(), clientId: 'bus-kafka-test-raw', logLevel: logLevel.NOTHING }).producer();
    await raw.connect();
    const firstOffset = (await raw.send({ topic: topic.name, messages: [{ key: 'bad', value: '{"n":"not a number"' }] }))[0]!.baseOffset;
    await raw.send({ topic: topic.name, messages: [{ key: 'bad2', value: JSON.stringify({ n: 'x', label: 1 }) }] });
    await raw.disconnect();
    bus.publish(topic, 'good', { n: 1, label: 'ok' });
    await bus.flush();

    const dlq: DlqRecord[] = [];
    subs.push(await bus.subscribe(DlqTopic, { group: `dlq-${randomUUID()}`, fromBeginning: true }, async (b) => {
      dlq.push(...b.map((d) => d.value!).filter((r) => r.source_topic === topic.name));
    }));
    const good: Delivered<Item>[] = [];
    subs.push(await bus.subscribe(topic, { group, fromBeginning: true }, async (b) => {
      good.push(...b);
    }));
    await waitFor(() => good.length >= 1 && dlq.length >= 2, 60_000, 'DLQ records and the good message');
    expect(good.map((d) => d.key)).toEqual(['good']);
    const first = dlq.find((r) => r.key === 'bad')!;
    expect(first).toMatchObject({ source_topic: topic.name, partition: 0, offset: firstOffset, consumer_group: group, value: '{"n":"not a number"' });
    expect(first.reason).toMatch(/invalid JSON/);
    expect(dlq.find((r) => r.key === 'bad2')!.reason).toMatch(/schema/);
  });

  it('watch replays a compacted topic, resolves when caught up, then delivers live changes', async () => {
    const topic = await makeTopic(true);
    bus.publish(topic, 'a', { n: 1, label: 'a1' });
    bus.publish(topic, 'b', { n: 2, label: 'b1' });
    bus.publish(topic, 'a', { n: 3, label: 'a2' });
    bus.publish(topic, 'b', null);
    await bus.flush();
    const state = new Map<string, Item>();
    const watcher = await bus.watch(topic, (key, value) => {
      if (value === null) state.delete(key);
      else state.set(key, value);
    });
    subs.push(watcher);
    expect([...state]).toEqual([['a', { n: 3, label: 'a2' }]]);
    bus.publish(topic, 'c', { n: 4, label: 'c1' });
    await waitFor(() => state.has('c'), 30_000, 'live change');

    const empty = await makeTopic(true);
    const started = Date.now();
    subs.push(await bus.watch(empty, () => undefined));
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('reports healthy while the broker answers', async () => {
    await expect(bus.healthy()).resolves.toBe(true);
  });
});
