import type { Cluster, Worker } from 'node:cluster';
import type { Logger } from '@gatehouse/observability';
import { CacheEntryMessage, isCacheMessage } from './ipc-cache-messages';

type ClusterLike = Pick<Cluster, 'on' | 'off'> & { workers?: Cluster['workers'] };

/**
 * Standalone primary with workers and no Redis: forwards each entry a worker stores to every other
 * worker, so all workers hold the same entries and a lookup never leaves the worker. Returns a
 * function that stops forwarding.
 */
export function replicateCacheAcrossWorkers(cluster: ClusterLike, logger?: Logger): () => void {
  const onMessage = (origin: Worker, raw: unknown) => {
    if (!isCacheMessage(raw)) return;
    const parsed = CacheEntryMessage.safeParse(raw);
    if (!parsed.success) return void logger?.warn('ipc cache: malformed worker message');
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (!worker || worker === origin || !worker.isConnected()) continue;
      try {
        worker.send(parsed.data);
      } catch (e) {
        logger?.warn({ err: (e as Error).message }, 'ipc cache: forwarding an entry to a worker failed');
      }
    }
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
