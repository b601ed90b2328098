import cluster from 'node:cluster';
import { logger } from '@gatehouse/observability/logger';

/**
 * GATEHOUSE_WORKERS processes share the port (node:cluster). The primary only supervises:
 * a worker that dies is replaced; SIGTERM is passed on and the primary exits when all have.
 * Returns true in the primary (the caller must not start the app there).
 */
export function superviseWorkers(workers: number): boolean {
  if (workers <= 1 || !cluster.isPrimary) return false;
  const log = logger();
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (code === 1 && !signal && worker.process.spawnfile && Date.now() - startedAt < 10_000) {
      log.fatal({ code }, 'a worker failed at start-up; stopping');
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, 'worker exited; starting a replacement');
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 20_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return true;
}

const startedAt = Date.now();
