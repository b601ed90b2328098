import type { Cluster, Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import { z } from 'zod';
import { registry } from '@gatehouse/observability';

/**
 * Cluster-wide /metrics for standalone workers: a worker asks the primary, which gathers every
 * worker's registry as JSON, adds its own and answers with the sum (prom-client's aggregation).
 */
const Message = z.discriminatedUnion('gh_metrics', [
  z.object({ gh_metrics: z.literal('collect'), id: z.string() }),
  z.object({ gh_metrics: z.literal('collected'), id: z.string(), text: z.string() }),
  z.object({ gh_metrics: z.literal('dump'), id: z.string() }),
  z.object({ gh_metrics: z.literal('dumped'), id: z.string(), metrics: z.array(z.unknown()) }),
]);
type Message = z.infer<typeof Message>;

const parse = (raw: unknown): Message | null => {
  if (typeof raw !== 'object' || raw === null || !('gh_metrics' in raw)) return null;
  const r = Message.safeParse(raw);
  return r.success ? r.data : null;
};

/** How long the primary waits for each worker's dump, and a worker for the primary's answer. */
const DUMP_TIMEOUT_MS = 1_000;
const COLLECT_TIMEOUT_MS = 3_000;

/** Primary side: answers workers' collect requests. Returns a function that stops answering. */
export function serveClusterMetrics(cluster: Pick<Cluster, 'on' | 'off' | 'workers'>): () => void {
  const pending = new Map<string, (metrics: object[]) => void>();
  const dump = (worker: Worker) =>
    new Promise<object[] | null>((resolve) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(null);
      }, DUMP_TIMEOUT_MS);
      pending.set(id, (m) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(m);
      });
      try {
        worker.send({ gh_metrics: 'dump', id } satisfies Message);
      } catch {
        pending.get(id)?.([]);
      }
    });
  const onMessage = (worker: Worker, raw: unknown) => {
    const m = parse(raw);
    if (m?.gh_metrics === 'dumped') return pending.get(m.id)?.(m.metrics as object[]);
    if (m?.gh_metrics !== 'collect') return;
    void (async () => {
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
      const dumps = await Promise.all(workers.map(dump));
      const own = await registry.getMetricsAsJSON();
      const text = await AggregatorRegistry.aggregate([own, ...dumps.filter((d): d is object[] => d !== null && d.length > 0)]).metrics();
      if (worker.isConnected()) worker.send({ gh_metrics: 'collected', id: m.id, text } satisfies Message);
    })();
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}

/** Worker side: answers the primary's dump requests with this process's registry. */
export function answerMetricDumps(channel: NodeJS.Process = process): void {
  channel.on('message', (raw: unknown) => {
    const m = parse(raw);
    if (m?.gh_metrics !== 'dump') return;
    void registry.getMetricsAsJSON().then((metrics) => {
      if (channel.connected) channel.send?.({ gh_metrics: 'dumped', id: m.id, metrics } satisfies Message);
    });
  });
}

/** Worker side: the cluster-wide exposition text; this process's own metrics when the primary does not answer in time. */
export function collectClusterMetrics(channel: NodeJS.Process = process): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve) => {
    const done = (text: Promise<string> | string) => {
      clearTimeout(timer);
      channel.off('message', listener);
      resolve(text);
    };
    const listener = (raw: unknown) => {
      const m = parse(raw);
      if (m?.gh_metrics === 'collected' && m.id === id) done(m.text);
    };
    const timer = setTimeout(() => done(registry.metrics()), COLLECT_TIMEOUT_MS);
    channel.on('message', listener);
    if (!channel.connected || !channel.send?.({ gh_metrics: 'collect', id } satisfies Message)) done(registry.metrics());
  });
}
