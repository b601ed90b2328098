import { join } from 'node:path';
import { ALL_TOPICS, DlqTopic, type DlqRecord, type TopicDef } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/observability';
import { backoffMs, sleep } from '../backoff';
import type { Bus, Delivered, SubscribeOptions, Subscription } from '../bus.port';
import { BusCounters } from '../bus-metrics';
import { decodeValue, encodeValue, prepareCodecs } from '../codec';
import { OffsetStore } from './offset-store';
import { TopicLog } from './topic-log';

export interface InProcessBusOptions {
  /** Where topic logs and committed offsets live (<dataDir>/bus); null keeps everything in memory. */
  dataDir: string | null;
  logger: Logger;
  /** Most entries waiting to be written to disk; further publishes are dropped and counted. */
  bufferMax?: number;
}

/**
 * The Bus port without Kafka (standalone): topics are in-memory logs, persisted as JSONL segments under
 * <dataDir>/bus with committed offsets per group, so a restart replays what was accepted but not committed.
 */
export function createInProcessBus(opts: InProcessBusOptions): Bus {
  prepareCodecs(ALL_TOPICS as readonly TopicDef<unknown>[]);
  const log = opts.logger.child({ component: 'bus', adapter: 'in-process' });
  const root = opts.dataDir ? join(opts.dataDir, 'bus') : null;
  const offsets = new OffsetStore(root ? join(root, 'offsets.json') : null);
  const counters = new BusCounters(log);
  const bufferMax = opts.bufferMax ?? 100_000;
  const topics = new Map<string, TopicLog>();
  const subscriptions = new Set<Subscription>();
  const activeGroups = new Set<string>();
  let closed = false;

  const topicLog = (def: TopicDef<unknown>): TopicLog => {
    let t = topics.get(def.name);
    if (!t) {
      t = new TopicLog(def.name, def.compacted, root, offsets.maxFor(def.name), log);
      topics.set(def.name, t);
    }
    return t;
  };
  for (const t of ALL_TOPICS) topicLog(t as TopicDef<unknown>);

  const unwritten = () => [...topics.values()].reduce((n, t) => n + t.unwritten, 0);
  const append = (def: TopicDef<unknown>, key: string | null, encoded: string | null) => {
    const t = topicLog(def);
    t.append(key, encoded);
    if (root) {
      counters.setBuffered(unwritten());
      void t.flushed().then(() => {
        counters.published(def.name, 1);
        counters.setBuffered(unwritten());
      });
    } else {
      counters.published(def.name, 1);
    }
  };

  const commit = async (group: string, t: TopicLog, next: number) => {
    await offsets.commit(group, t.name, next);
    const min = offsets.minFor(t.name);
    if (min !== undefined) t.trimBelow(min);
  };

  async function subscribe<T>(def: TopicDef<T>, o: SubscribeOptions, handler: (batch: Delivered<T>[]) => Promise<void>): Promise<Subscription> {
    const id = `${o.group}\u0000${def.name}`;
    if (activeGroups.has(id)) throw new Error(`in-process bus: group ${o.group} already consumes ${def.name} in this process`);
    activeGroups.add(id);
    const t = topicLog(def as TopicDef<unknown>);
    const maxBatch = o.maxBatchSize ?? 500;
    const slog = log.child({ topic: def.name, group: o.group });
    const stop = new AbortController();
    const committed = offsets.get(o.group, def.name);
    let position = committed ?? (o.fromBeginning ? t.start : t.end);
    // A group holds its place from the moment it subscribes: the log is trimmed below the lowest
    // committed offset, so a group that had not committed yet (its first batch still in its
    // handler) lost what a faster group on the same topic had already consumed.
    if (committed === undefined) await offsets.commit(o.group, def.name, position);
    let wake: (() => void) | null = null;
    const unlisten = t.onAppend(() => wake?.());
    stop.signal.addEventListener('abort', () => wake?.(), { once: true });

    const deliver = async (chunk: Delivered<T>[]): Promise<boolean> => {
      for (let attempt = 0; ; attempt++) {
        if (stop.signal.aborted) return false;
        try {
          await handler(chunk);
          return true;
        } catch (e) {
          slog.error({ err: (e as Error).message, attempt, size: chunk.length }, 'bus handler failed; retrying the same batch');
          await sleep(backoffMs(attempt, 100, 5000), stop.signal);
        }
      }
    };

    /** Resolves at the next append (or stop), or after timeoutMs when given. */
    const nextAppend = (timeoutMs?: number): Promise<void> =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
        const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
        wake = done;
      });

    /** fill: once something is there, wait up to maxWaitMs (default 100) for a full batch. */
    const fillUp = async (): Promise<void> => {
      const until = Date.now() + (o.maxWaitMs ?? 100);
      for (let left = until - Date.now(); left > 0 && t.end - position < maxBatch && !stop.signal.aborted; left = until - Date.now()) {
        await nextAppend(left);
      }
    };

    const loop = (async () => {
      while (!stop.signal.aborted) {
        let entries = t.read(position, maxBatch);
        if (entries.length === 0) {
          await nextAppend();
          continue;
        }
        if (o.fill && entries.length < maxBatch) {
          await fillUp();
          if (stop.signal.aborted) break;
          entries = t.read(position, maxBatch);
        }
        const chunk: Delivered<T>[] = [];
        for (const e of entries) {
          const decoded = decodeValue(def, e.v);
          if (decoded.ok) {
            chunk.push({ topic: def.name, partition: 0, offset: String(e.o), key: e.k, value: decoded.value, timestamp: e.t });
            continue;
          }
          const record: DlqRecord = {
            source_topic: def.name, partition: 0, offset: String(e.o), key: e.k, value: e.v,
            reason: decoded.reason, consumer_group: o.group, ts: Date.now(),
          };
          append(DlqTopic as TopicDef<unknown>, e.k, encodeValue(DlqTopic, record));
          slog.warn({ offset: e.o, reason: decoded.reason }, 'message sent to DLQ');
        }
        if (chunk.length > 0 && !(await deliver(chunk))) break;
        position = entries[entries.length - 1]!.o + 1;
        await commit(o.group, t, position);
      }
    })();

    let done = false;
    const sub: Subscription = {
      async close() {
        if (done) return;
        done = true;
        stop.abort();
        await loop;
        unlisten();
        activeGroups.delete(id);
        subscriptions.delete(sub);
      },
      lag: async () => Math.max(0, t.end - Math.max(position, t.start)),
    };
    subscriptions.add(sub);
    return sub;
  }

  async function watch<T>(def: TopicDef<T>, onChange: (key: string, value: T | null) => void): Promise<Subscription> {
    const t = topicLog(def as TopicDef<unknown>);
    const wlog = log.child({ topic: def.name });
    let position = t.start;
    const drain = () => {
      for (const e of t.read(position, Number.MAX_SAFE_INTEGER)) {
        position = e.o + 1;
        const decoded = decodeValue(def, e.v);
        if (e.k === null || !decoded.ok) {
          wlog.warn({ offset: e.o, reason: decoded.ok ? 'missing key' : decoded.reason }, 'watch skipped an invalid message');
          continue;
        }
        try {
          onChange(e.k, decoded.value);
        } catch (err) {
          wlog.error({ err: (err as Error).message, key: e.k }, 'watch onChange threw');
        }
      }
    };
    drain();
    let scheduled = false;
    const unlisten = t.onAppend(() => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        drain();
      });
    });
    const sub: Subscription = {
      async close() {
        unlisten();
        subscriptions.delete(sub);
      },
      lag: async () => t.end - position,
    };
    subscriptions.add(sub);
    return sub;
  }

  const flush = async (timeoutMs = 10_000) => {
    const timer = new AbortController();
    await Promise.race([
      Promise.all([...topics.values()].map((t) => t.flushed()).concat(offsets.flushed())),
      sleep(timeoutMs, timer.signal),
    ]);
    timer.abort();
  };

  return {
    publish<T>(topic: TopicDef<T>, key: string, value: T | null): void {
      const encoded = encodeValue(topic, value);
      if (closed || (root && unwritten() >= bufferMax)) {
        counters.dropped(topic.name);
        return;
      }
      append(topic as TopicDef<unknown>, key, encoded);
    },
    subscribe,
    watch,
    flush,
    healthy: async () => !closed,
    stats: () => counters.stats(),
    async close() {
      if (closed) return;
      await Promise.allSettled([...subscriptions].map((s) => s.close()));
      closed = true;
      await flush(5000);
    },
  };
}
