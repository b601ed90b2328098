import type { Cluster } from 'node:cluster';
import type { Logger } from '@gatehouse/observability';
import { RELOAD_MESSAGE } from '../../ingress/src';

/**
 * Config reload across standalone workers: SIGHUP to the primary is passed to every worker; a
 * worker that reloaded on POST /admin/config/reload asks the primary to signal the others.
 */
export function fanOutConfigReloads(cluster: Cluster, log: Logger): () => void {
  const signal = (except: number | null) => {
    for (const w of Object.values(cluster.workers ?? {})) if (w && w.id !== except) w.process.kill('SIGHUP');
  };
  const onHangup = () => {
    log.info('SIGHUP: reloading the config in every worker');
    signal(null);
  };
  const onMessage = (worker: { id: number }, msg: unknown) => {
    if ((msg as { type?: unknown })?.type === RELOAD_MESSAGE) signal(worker.id);
  };
  process.on('SIGHUP', onHangup);
  cluster.on('message', onMessage);
  return () => {
    process.off('SIGHUP', onHangup);
    cluster.off('message', onMessage);
  };
}
