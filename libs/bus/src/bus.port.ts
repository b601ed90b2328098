import type { TopicDef } from '@gatehouse/contracts';

/** A consumed message whose value passed the topic's zod schema. value null = tombstone (compacted topics). */
export interface Delivered<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T | null;
  timestamp: number;
}

export interface SubscribeOptions {
  /** Consumer group: members share partitions; offsets are committed per group. */
  group: string;
  fromBeginning?: boolean;
  /** Largest batch handed to the handler, and the longest wait to fill it. */
  maxBatchSize?: number;
  maxWaitMs?: number;
  /**
   * Wait up to maxWaitMs for a fuller batch instead of taking whatever is there (default false):
   * for a consumer whose cost is per batch rather than per message, such as an insert into
   * ClickHouse. At a steady trickle, batches are then ~maxWaitMs of traffic instead of a few messages.
   */
  fill?: boolean;
}

export interface Subscription {
  /** Stop consuming after the batch in flight (its offsets are committed if it succeeded). */
  close(): Promise<void>;
  /** Messages not yet consumed by this group (sum over partitions), when known. */
  lag(): Promise<number | null>;
}

export interface BusStats {
  buffered: number;
  published: number;
  dropped: number;
  publishErrors: number;
}

/**
 * The event bus port. Adapters: Kafka (kafkajs) and in-process (standalone).
 *
 * - publish() validates the value with the topic's schema (throws on a programmer error), then
 *   buffers it and returns at once: it never blocks or fails a user request on the bus. A full or
 *   unreachable bus is counted, logged and retried from a bounded buffer.
 * - subscribe() hands batches of schema-valid messages to the handler; offsets are committed only
 *   after the handler resolved. A handler that throws gets the same batch again (with backoff).
 *   A message that fails the schema goes to gatehouse.dlq.v1 with the reason and is skipped.
 * - watch() replays a compacted topic from the beginning into onChange and resolves once caught up
 *   with the end of the log as it was at the call, then keeps delivering live changes.
 */
export interface Bus {
  publish<T>(topic: TopicDef<T>, key: string, value: T | null): void;
  subscribe<T>(topic: TopicDef<T>, opts: SubscribeOptions, handler: (batch: Delivered<T>[]) => Promise<void>): Promise<Subscription>;
  watch<T>(topic: TopicDef<T>, onChange: (key: string, value: T | null) => void): Promise<Subscription>;
  /** Wait until everything published so far is acknowledged (or the timeout passes). */
  flush(timeoutMs?: number): Promise<void>;
  /** True when the bus answers (for /readyz). */
  healthy(): Promise<boolean>;
  stats(): BusStats;
  close(): Promise<void>;
}

export const BUS = Symbol('BUS');
