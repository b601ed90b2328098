import cluster, { type Worker } from 'node:cluster';
import { logger as rootLogger, type Logger } from '@gatehouse/observability';
import { fanOutConfigReloads } from './reload-fanout';

export interface WorkerPoolOptions {
  count: number;
  /** Extra environment for every worker (merged over the primary's). */
  env?: Record<string, string>;
  logger?: Logger;
  /** A worker exited with an error before it listened: a config or port problem that a replacement would only repeat. The pool stops itself first. */
  onFatal?: (reason: string) => void;
}

export interface WorkerPool {
  /** Resolves once every worker of the first generation listens. */
  listening: Promise<void>;
  /** SIGTERM to every worker (each drains its requests and flushes), then waits until all exited; SIGKILL after timeoutMs. */
  stop(timeoutMs?: number): Promise<void>;
  pids(): number[];
}

/**
 * Forks `count` workers of this script (node:cluster; they share the listening port) and keeps
 * `count` running: a worker that dies after it listened is replaced.
 */
export function startWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  const log = opts.logger ?? rootLogger();
  const live = new Map<Worker, Promise<void>>();
  const listened = new WeakSet<Worker>();
  let stopping = false;
  let markListening: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (markListening = resolve));

  const fork = (): Worker => {
    const worker = cluster.fork(opts.env ?? {});
    const pid = worker.process.pid;
    live.set(worker, new Promise<void>((resolve) => worker.once('exit', () => resolve())));
    worker.once('listening', () => {
      listened.add(worker);
      if (live.size === opts.count && [...live.keys()].every((w) => listened.has(w))) markListening();
    });
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) return;
      if (!listened.has(worker) && !signal && code !== 0) {
        const reason = `a worker failed at start-up (exit code ${code})`;
        log.fatal({ worker_pid: pid, code }, reason);
        void stop().then(() => opts.onFatal?.(reason));
        return;
      }
      log.error({ worker_pid: pid, code, signal }, 'worker exited; starting a replacement');
      const next = fork();
      next.once('listening', () => log.info({ worker_pid: next.process.pid, replaced: pid }, 'replacement worker listening'));
    });
    return worker;
  };

  const stop = async (timeoutMs = 20_000): Promise<void> => {
    stopping = true;
    for (const w of live.keys()) w.process.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const w of live.keys()) w.process.kill('SIGKILL');
    }, timeoutMs);
    killer.unref();
    await Promise.all(live.values());
    clearTimeout(killer);
  };

  for (let i = 0; i < opts.count; i++) fork();
  return { listening, stop, pids: () => [...live.keys()].map((w) => w.process.pid ?? -1) };
}

/**
 * GATEHOUSE_WORKERS processes share the port (node:cluster). The primary only supervises:
 * a worker that dies is replaced; SIGTERM is passed on and the primary exits when all have; SIGHUP
 * (config reload) is passed on.
 * Returns true in the primary (the caller must not start the app there).
 */
export function superviseWorkers(workers: number): boolean {
  if (workers <= 1 || !cluster.isPrimary) return false;
  const pool = startWorkerPool({ count: workers, onFatal: () => process.exit(1) });
  fanOutConfigReloads(cluster, rootLogger());
  const stop = () => void pool.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return true;
}
