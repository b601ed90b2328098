import type { Cluster, Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { ALL_TOPICS, type TopicDef } from '@gatehouse/contracts';
import type { Logger } from '@gatehouse/observability';
import type { Bus, Subscription } from '../bus.port';
import { WorkerToPrimary, type IpcPeer, type PrimaryToWorker } from './ipc-messages';

type ClusterLike = Pick<Cluster, 'on' | 'off'> & { workers?: Cluster['workers'] };

/** How long a sync barrier waits for each worker's pong (a worker that is stuck or gone is not waited for longer). */
const PING_TIMEOUT_MS = 1_000;

/**
 * Primary side of the standalone IPC bus: forwards worker publishes into the primary's bus and keeps
 * every worker's view of the compacted topics current (replay on request, then every change).
 */
export async function bridgeWorkersToBus(bus: Bus, cluster: ClusterLike, logger?: Logger): Promise<{ close(): Promise<void> }> {
  const defs = new Map<string, TopicDef<unknown>>(ALL_TOPICS.map((t) => [t.name, t as TopicDef<unknown>]));
  const state = new Map<string, Map<string, string>>();
  const watchers = new Map<string, Set<IpcPeer>>();
  const subs: Subscription[] = [];
  const send = (peer: IpcPeer, m: PrimaryToWorker) => {
    try {
      peer.send(m);
    } catch (e) {
      logger?.warn({ err: (e as Error).message }, 'ipc bus: send to worker failed');
    }
  };

  for (const def of defs.values()) {
    if (!def.compacted) continue;
    const values = new Map<string, string>();
    state.set(def.name, values);
    watchers.set(def.name, new Set());
    subs.push(await bus.watch(def, (key, value) => {
      const encoded = value === null ? null : JSON.stringify(value);
      if (encoded === null) values.delete(key);
      else values.set(key, encoded);
      for (const peer of watchers.get(def.name)!) send(peer, { gh_bus: 'change', topic: def.name, key, value: encoded });
    }));
  }

  const pongs = new Map<string, () => void>();
  const ping = (peer: IpcPeer) =>
    new Promise<void>((resolve) => {
      const id = randomUUID();
      const timer = setTimeout(() => done(), PING_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        pongs.delete(id);
        resolve();
      };
      pongs.set(id, done);
      send(peer, { gh_bus: 'ping', id });
    });
  /** After the changes already published (their microtask broadcasts included), every watching worker has applied them once it pongs. */
  const barrier = (origin: Worker, id: string) =>
    setImmediate(() => {
      const peers = new Set<IpcPeer>();
      for (const set of watchers.values()) for (const p of set) peers.add(p);
      void Promise.all([...peers].map(ping)).then(() => send(origin, { gh_bus: 'synced', id }));
    });

  const onMessage = (worker: Worker, raw: unknown) => {
    if (typeof raw !== 'object' || raw === null || !('gh_bus' in raw)) return;
    const parsed = WorkerToPrimary.safeParse(raw);
    if (!parsed.success) return void logger?.warn('ipc bus: malformed worker message');
    const m = parsed.data;
    if (m.gh_bus === 'pong') return void pongs.get(m.id)?.();
    if (m.gh_bus === 'sync') return barrier(worker, m.id);
    const def = defs.get(m.topic);
    if (m.gh_bus === 'publish') {
      if (!def) return void logger?.warn({ topic: m.topic }, 'ipc bus: publish to unknown topic');
      try {
        bus.publish(def, m.key, m.value === null ? null : JSON.parse(m.value));
      } catch (e) {
        logger?.error({ topic: m.topic, err: (e as Error).message }, 'ipc bus: worker publish rejected');
      }
      return;
    }
    const values = state.get(m.topic);
    if (!values) return send(worker, { gh_bus: 'error', topic: m.topic, message: `topic ${m.topic} cannot be watched from a worker` });
    watchers.get(m.topic)!.add(worker);
    worker.once?.('exit', () => watchers.get(m.topic)?.delete(worker));
    send(worker, { gh_bus: 'replay', topic: m.topic, entries: [...values] });
  };
  cluster.on('message', onMessage);

  return {
    async close() {
      cluster.off('message', onMessage);
      await Promise.all(subs.map((s) => s.close()));
    },
  };
}
