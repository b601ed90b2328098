import cluster, { type Cluster } from 'node:cluster';
import type { Logger } from '@gatehouse/observability';

/** Message a worker sends its primary after it reloaded on POST /admin/config/reload, so every other worker reloads too. */
export const RELOAD_MESSAGE = 'gatehouse:config-reload';

/** In a worker: asks the primary to make the other workers reload (a lone process has none). */
export function reloadOtherWorkers(): void {
  if (cluster.isWorker && process.send) process.send({ type: RELOAD_MESSAGE });
}

/**
 * In a primary: config reload across the workers. SIGHUP to the primary is passed to every worker;
 * a worker that reloaded on POST /admin/config/reload asks the primary to signal the others.
 */
export function fanOutConfigReloads(workers: Cluster, log: Logger): () => void {
  const signal = (except: number | null) => {
    for (const w of Object.values(workers.workers ?? {})) if (w && w.id !== except) w.process.kill('SIGHUP');
  };
  const onHangup = () => {
    log.info('SIGHUP: reloading the config in every worker');
    signal(null);
  };
  const onMessage = (worker: { id: number }, msg: unknown) => {
    if ((msg as { type?: unknown })?.type === RELOAD_MESSAGE) signal(worker.id);
  };
  process.on('SIGHUP', onHangup);
  workers.on('message', onMessage);
  return () => {
    process.off('SIGHUP', onHangup);
    workers.off('message', onMessage);
  };
}
