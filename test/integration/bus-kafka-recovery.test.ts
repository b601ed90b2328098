import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { z } from 'zod';
import { defineTopic } from '@gatehouse/contracts';
import { createKafkaBus, type KafkaBus, type Subscription } from '@gatehouse/bus';

const { startKafka } = require('../support/services/kafka') as { startKafka: () => Promise<{ brokers: string; pid: number; stop(): Promise<void> }> };

const Item = z.object({ n: z.number().int() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The Kafka adapter recovers from a broker that stops answering while a batch is in flight and
 * then processes that batch after the client gave up on it (a broker paused by GC or a starved
 * CPU, or shut down between appending and answering). Runs on a broker of its own: it is frozen
 * with SIGSTOP.
 */
describe('Kafka bus adapter: recovery after an unanswered send', () => {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  let kafka: Awaited<ReturnType<typeof startKafka>>;
  let producer: KafkaBus;
  let consumer: KafkaBus;
  let sub: Subscription | undefined;

  beforeAll(async () => {
    kafka = await startKafka();
  }, 120_000);

  afterAll(async () => {
    process.kill(kafka.pid, 'SIGCONT');
    await sub?.close();
    await Promise.all([producer?.close(), consumer?.close()]);
    await kafka?.stop();
  }, 60_000);

  it('every message published before, during and after a frozen broker is delivered', async () => {
    const brokers = kafka.brokers.split(',');
    const name = `test.recovery.${randomUUID()}`;
    const admin = new Kafka({ brokers, clientId: 'recovery-admin', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: name, numPartitions: 1 }] });
    await admin.disconnect();
    const topic = defineTopic(name, Item, false);

    // Short request timeout and few retries: the adapter sees the failed send within seconds.
    producer = await createKafkaBus({ brokers, clientId: 'recovery-producer', logger, requestTimeoutMs: 1_000, producerRetries: 2 });
    consumer = await createKafkaBus({ brokers, clientId: 'recovery-consumer', logger });
    const seen = new Set<number>();
    sub = await consumer.subscribe(topic, { group: `g-${randomUUID()}`, fromBeginning: true }, async (batch) => {
      for (const d of batch) seen.add(d.value!.n);
    });

    let published = 0;
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        producer.publish(topic, `k${published}`, { n: published });
        published++;
        await sleep(10);
      }
    })();

    await sleep(1_000);
    process.kill(kafka.pid, 'SIGSTOP');
    const frozen = Date.now();
    // Frozen until the adapter has seen a send fail (kafkajs gave up on the batch it holds).
    while (producer.stats().publishErrors === 0 && Date.now() - frozen < 60_000) await sleep(100);
    await sleep(1_000);
    process.kill(kafka.pid, 'SIGCONT');
    expect(producer.stats().publishErrors).toBeGreaterThan(0);
    await sleep(2_000);
    publishing = false;
    await publisher;

    const deadline = Date.now() + 60_000;
    while (seen.size < published && Date.now() < deadline) await sleep(200);
    expect({ delivered: seen.size, buffered: producer.stats().buffered }).toEqual({ delivered: published, buffered: 0 });
  }, 240_000);
});
