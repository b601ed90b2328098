import { Kafka, type Admin } from 'kafkajs';
import { ALL_TOPICS, type TopicDef } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/observability';
import type { Bus, Delivered, SubscribeOptions, Subscription } from '../bus.port';
import { BusCounters } from '../bus-metrics';
import { encodeValue, prepareCodecs } from '../codec';
import { KAFKA_LOG_LEVEL, pinoLogCreator } from './kafka-log';
import { PublishBuffer, type OutMessage } from './publish-buffer';
import { ProducerSession } from './producer-session';
import { kafkaSubscribe } from './kafka-subscriber';
import { kafkaWatch } from './kafka-watcher';
import { installFastGzip } from './fast-gzip';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Most messages held while the broker is slow or unreachable; further publishes are dropped. */
  bufferMax?: number;
  /** How long kafkajs waits for a broker's answer to one request (kafkajs default 30 s). */
  requestTimeoutMs?: number;
  /** How often kafkajs retries a failed send before the publish buffer sees the failure (default 10). */
  producerRetries?: number;
}

export type KafkaBus = Bus & { ensureTopics(): Promise<void> };

const CLOSE_DRAIN_MS = 5000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

/** Creates every topic of the product that is missing: compacted ones with cleanup.policy=compact. */
async function ensureTopics(admin: Admin, logger: Logger): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = ALL_TOPICS.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({
      topic: t.name,
      numPartitions: t.compacted ? 1 : 3,
      configEntries: t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    })),
  });
  logger.info({ topics: missing.map((t) => t.name) }, 'kafka topics created');
}

/** The Kafka adapter of the Bus port (kafkajs, idempotent producer, GZIP batches from a bounded buffer). */
export async function createKafkaBus(opts: KafkaBusOptions): Promise<KafkaBus> {
  installFastGzip();
  prepareCodecs(ALL_TOPICS as readonly TopicDef<unknown>[]);
  const log = opts.logger.child({ component: 'bus', adapter: 'kafka' });
  const kafka = new Kafka({
    brokers: opts.brokers,
    clientId: opts.clientId,
    logLevel: KAFKA_LOG_LEVEL,
    logCreator: pinoLogCreator(opts.logger),
    ...(opts.requestTimeoutMs ? { requestTimeout: opts.requestTimeoutMs } : {}),
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
  });
  const admin = kafka.admin();
  const producer = new ProducerSession(kafka, { retries: opts.producerRetries ?? 10, initialRetryTime: 100, maxRetryTime: 5000 }, log);
  await admin.connect();
  try {
    await producer.connect();
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'kafka producer could not connect yet; publishes are buffered and retried');
  }

  const counters = new BusCounters(log);
  const send = async (batch: readonly OutMessage[]) => {
    const byTopic = new Map<string, { key: string; value: string | null }[]>();
    for (const m of batch) {
      let list = byTopic.get(m.topic);
      if (!list) byTopic.set(m.topic, (list = []));
      list.push({ key: m.key, value: m.value });
    }
    await producer.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
  };
  const produce = (topic: string, key: string | null, value: string | null) => producer.send([{ topic, messages: [{ key, value }] }]);
  const buffer = new PublishBuffer(send, opts.bufferMax ?? 100_000, counters, log);
  const subscriptions = new Set<Subscription>();
  const track = (s: Subscription): Subscription => {
    subscriptions.add(s);
    return {
      lag: () => s.lag(),
      close: async () => {
        subscriptions.delete(s);
        await s.close();
      },
    };
  };
  let closed = false;

  return {
    publish<T>(topic: TopicDef<T>, key: string, value: T | null): void {
      buffer.push({ topic: topic.name, key, value: encodeValue(topic, value) });
    },
    async subscribe<T>(topic: TopicDef<T>, o: SubscribeOptions, handler: (batch: Delivered<T>[]) => Promise<void>) {
      return track(await kafkaSubscribe({ kafka, admin, produce, logger: log }, topic, o, handler));
    },
    async watch<T>(topic: TopicDef<T>, onChange: (key: string, value: T | null) => void) {
      return track(await kafkaWatch(kafka, admin, log, topic, onChange));
    },
    flush: (timeoutMs = 10_000) => buffer.drain(timeoutMs),
    async healthy() {
      try {
        await withTimeout(admin.describeCluster(), 1000);
        return true;
      } catch {
        return false;
      }
    },
    stats: () => counters.stats(),
    ensureTopics: () => ensureTopics(admin, log),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...subscriptions].map((s) => s.close()));
      subscriptions.clear();
      const left = await buffer.stop(CLOSE_DRAIN_MS);
      if (left > 0) log.error({ lost: left }, 'bus closed with unsent messages');
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}
