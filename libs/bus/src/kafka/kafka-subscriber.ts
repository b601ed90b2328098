import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DlqTopic, type DlqRecord, type TopicDef } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/observability';
import { backoffMs, sleep } from '../backoff';
import type { Delivered, SubscribeOptions, Subscription } from '../bus.port';
import { decodeValue, encodeValue } from '../codec';
import { topicLag } from './kafka-lag';

interface SubscriberDeps {
  kafka: Kafka;
  admin: Admin;
  /** Sends one message directly (not through the publish buffer) and resolves once acknowledged. */
  produce(topic: string, key: string | null, value: string | null): Promise<void>;
  logger: Logger;
}

/** A filling subscription's fetch waits for this much data (or maxWaitMs): ~4,000 compressed traces. */
const FILL_MIN_BYTES = 1024 * 1024;
/** Partitions of a filling subscription handled at once (the product's topics have 3). */
const FILL_PARTITIONS = 3;

/**
 * The Kafka consumer group of a bus subscription group on a topic: one per (group, topic), because
 * kafkajs members of one group must subscribe to the same topics, and the port's groups are per topic
 * (as in the in-process adapter).
 */
export const kafkaGroupId = (group: string, topic: Pick<TopicDef<unknown>, 'name'>): string => `${group}.${topic.name}`;

/**
 * A consumer-group subscription: schema-invalid messages go to the DLQ (awaited), valid ones reach the
 * handler in chunks of at most maxBatchSize; offsets are resolved and committed only after the handler
 * resolved; a throwing handler gets the same chunk again with capped exponential backoff.
 */
export async function kafkaSubscribe<T>(
  deps: SubscriberDeps,
  topic: TopicDef<T>,
  opts: SubscribeOptions,
  handler: (batch: Delivered<T>[]) => Promise<void>,
): Promise<Subscription> {
  const maxBatch = opts.maxBatchSize ?? 500;
  const groupId = kafkaGroupId(opts.group, topic);
  const log = deps.logger.child({ topic: topic.name, group: groupId });
  const closing = new AbortController();
  const consumer: Consumer = deps.kafka.consumer({
    groupId,
    maxWaitTimeInMs: opts.maxWaitMs ?? 100,
    // fill: the broker holds a fetch until FILL_MIN_BYTES are ready or maxWaitMs passed (default: it answers as soon as one byte is there).
    ...(opts.fill ? { minBytes: FILL_MIN_BYTES } : {}),
    allowAutoTopicCreation: false,
    // A crashed member's partitions move to a live one after the session timeout: keep it short
    // (the broker's minimum is 6 s) so a replacement process resumes within seconds.
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 15_000,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topic.name, fromBeginning: opts.fromBeginning ?? false });

  const toDlq = async (partition: number, m: KafkaMessage, reason: string) => {
    const record: DlqRecord = {
      source_topic: topic.name,
      partition,
      offset: m.offset,
      key: m.key?.toString('utf8') ?? null,
      value: m.value?.toString('utf8') ?? null,
      reason,
      consumer_group: opts.group,
      ts: Date.now(),
    };
    const value = encodeValue(DlqTopic, record);
    for (let attempt = 0; ; attempt++) {
      try {
        await deps.produce(DlqTopic.name, record.key, value);
        log.warn({ partition, offset: m.offset, reason }, 'message sent to DLQ');
        return;
      } catch (e) {
        if (closing.signal.aborted) throw e;
        log.error({ err: (e as Error).message, attempt }, 'DLQ send failed; retrying');
        await sleep(backoffMs(attempt), closing.signal);
      }
    }
  };

  const deliver = async (chunk: Delivered<T>[], payload: EachBatchPayload): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      if (closing.signal.aborted || !payload.isRunning() || payload.isStale()) return false;
      try {
        await handler(chunk);
        return true;
      } catch (e) {
        log.error({ err: (e as Error).message, attempt, size: chunk.length }, 'bus handler failed; retrying the same batch');
        await sleep(backoffMs(attempt, 100, 5000), closing.signal);
        await payload.heartbeat().catch(() => undefined);
      }
    }
  };

  const eachBatch = async (payload: EachBatchPayload) => {
    const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat } = payload;
    let chunk: Delivered<T>[] = [];
    let chunkLast: string | null = null;
    const flushChunk = async (): Promise<boolean> => {
      if (chunkLast === null) return true;
      if (chunk.length > 0 && !(await deliver(chunk, payload))) return false;
      resolveOffset(chunkLast);
      await commitOffsetsIfNecessary();
      await heartbeat();
      chunk = [];
      chunkLast = null;
      return true;
    };
    for (const m of batch.messages) {
      if (closing.signal.aborted || !payload.isRunning() || payload.isStale()) return;
      const decoded = decodeValue(topic, m.value?.toString('utf8') ?? null);
      if (!decoded.ok) {
        await toDlq(batch.partition, m, decoded.reason);
      } else {
        chunk.push({
          topic: topic.name,
          partition: batch.partition,
          offset: m.offset,
          key: m.key?.toString('utf8') ?? null,
          value: decoded.value,
          timestamp: Number(m.timestamp),
        });
      }
      chunkLast = m.offset;
      if (chunk.length >= maxBatch && !(await flushChunk())) return;
    }
    await flushChunk();
  };

  // fill: the partitions of one fetch are handled at once, so a handler that combines concurrent batches (group commit) makes one write of them.
  await consumer.run({ eachBatchAutoResolve: false, autoCommit: true, eachBatch, partitionsConsumedConcurrently: opts.fill ? FILL_PARTITIONS : 1 });
  log.info('subscribed');

  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      closing.abort();
      await consumer.disconnect();
    },
    lag: () => topicLag(deps.admin, groupId, topic.name),
  };
}
