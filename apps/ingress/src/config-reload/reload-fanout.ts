import cluster from 'node:cluster';

/** Message a standalone worker sends its primary after an admin reload, so every other worker reloads too. */
export const RELOAD_MESSAGE = 'gatehouse:config-reload';

export const RELOAD_FANOUT = Symbol('RELOAD_FANOUT');

/** Tells the other processes of this deployment to reload (standalone workers: via the primary; a lone process: nothing to do). */
export interface ReloadFanout {
  others(): void;
}

export const clusterReloadFanout: ReloadFanout = {
  others: () => {
    if (cluster.isWorker && process.send) process.send({ type: RELOAD_MESSAGE });
  },
};
