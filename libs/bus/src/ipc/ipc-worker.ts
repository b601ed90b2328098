import { ALL_TOPICS, type TopicDef } from '@gatehouse/contracts';
import type { Bus, BusStats, Subscription } from '../bus.port';
import { decodeValue, encodeValue, prepareCodecs } from '../codec';
import { PrimaryToWorker, type WorkerToPrimary } from './ipc-messages';

/** What a worker needs from its process: process itself in a cluster worker. */
export interface IpcChannel {
  send?(message: unknown, sendHandle?: undefined, options?: undefined, callback?: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (m: unknown) => void): unknown;
  off(event: 'message', listener: (m: unknown) => void): unknown;
  connected?: boolean;
}

export interface IpcWorkerBus extends Bus {
  /**
   * Resolves once every worker has applied every change published (by anyone) before the call: what a
   * worker answers after sync() is visible on every worker (read-your-writes across workers). Resolves
   * after timeoutMs at the latest.
   */
  sync(timeoutMs?: number): Promise<void>;
}

/**
 * Worker side of the standalone IPC bus: publish hands validated values to the primary; watch asks the
 * primary for a replay of a compacted topic, then receives its live changes. subscribe is not available.
 */
export function createIpcWorkerBus(channel: IpcChannel = process as unknown as IpcChannel): IpcWorkerBus {
  if (!channel.send) throw new Error('ipc bus: this process has no IPC channel (not a cluster worker)');
  prepareCodecs(ALL_TOPICS as readonly TopicDef<unknown>[]);
  const stats: BusStats = { buffered: 0, published: 0, dropped: 0, publishErrors: 0 };
  const inflight = new Set<Promise<void>>();
  const listeners = new Set<(m: unknown) => void>();
  const post = (m: WorkerToPrimary) => {
    const p = new Promise<void>((resolve) => {
      stats.buffered++;
      channel.send!(m, undefined, undefined, (err) => {
        stats.buffered--;
        if (err) stats.publishErrors++;
        else if (m.gh_bus === 'publish') stats.published++;
        resolve();
      });
    });
    inflight.add(p);
    void p.then(() => inflight.delete(p));
  };
  const synced = new Map<string, () => void>();
  const control = (raw: unknown) => {
    if (typeof raw !== 'object' || raw === null || !('gh_bus' in raw)) return;
    const parsed = PrimaryToWorker.safeParse(raw);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.gh_bus === 'ping' && channel.connected !== false) channel.send!({ gh_bus: 'pong', id: m.id } satisfies WorkerToPrimary);
    else if (m.gh_bus === 'synced') synced.get(m.id)?.();
  };
  channel.on('message', control);
  let seq = 0;

  return {
    publish<T>(topic: TopicDef<T>, key: string, value: T | null) {
      const encoded = encodeValue(topic, value);
      if (channel.connected === false) {
        stats.dropped++;
        return;
      }
      post({ gh_bus: 'publish', topic: topic.name, key, value: encoded });
    },
    async subscribe(): Promise<Subscription> {
      throw new Error('ipc bus: subscribe is not supported in worker processes; consume in the primary');
    },
    watch<T>(topic: TopicDef<T>, onChange: (key: string, value: T | null) => void): Promise<Subscription> {
      return new Promise((resolve, reject) => {
        let ready = false;
        const deliver = (key: string, raw: string | null) => {
          const d = decodeValue(topic, raw);
          if (d.ok) onChange(key, d.value);
        };
        const listener = (raw: unknown) => {
          const parsed = PrimaryToWorker.safeParse(raw);
          if (!parsed.success || !('topic' in parsed.data) || parsed.data.topic !== topic.name) return;
          const m = parsed.data;
          if (m.gh_bus === 'error') {
            channel.off('message', listener);
            return reject(new Error(m.message));
          }
          if (m.gh_bus === 'replay') {
            if (ready) return;
            for (const [k, v] of m.entries) deliver(k, v);
            ready = true;
            resolve({
              async close() {
                channel.off('message', listener);
                listeners.delete(listener);
              },
              lag: async () => 0,
            });
          } else if (ready && m.gh_bus === 'change') {
            deliver(m.key, m.value);
          }
        };
        listeners.add(listener);
        channel.on('message', listener);
        post({ gh_bus: 'watch', topic: topic.name });
      });
    },
    async flush() {
      await Promise.all([...inflight]);
    },
    sync(timeoutMs = 2_000) {
      if (channel.connected === false) return Promise.resolve();
      const id = `${process.pid}-${++seq}`;
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          synced.delete(id);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        synced.set(id, done);
        post({ gh_bus: 'sync', id });
      });
    },
    healthy: async () => channel.connected !== false,
    stats: () => ({ ...stats }),
    async close() {
      await Promise.all([...inflight]);
      for (const l of listeners) channel.off('message', l);
      listeners.clear();
      channel.off('message', control);
      for (const done of synced.values()) done();
    },
  };
}
