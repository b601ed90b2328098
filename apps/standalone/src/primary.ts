import cluster from 'node:cluster';
import { bridgeWorkersToBus } from '@gatehouse/bus';
import { replicateCacheAcrossWorkers } from '@gatehouse/cache';
import { startWorkerPool, type WorkerPool, startApp, bundledExamplePath, fanOutConfigReloads, type Settings } from '@gatehouse/runtime';
import { GuardModule } from '../../guard/src';
import { AnalyticsModule } from '../../analytics/src';
import { printBanner } from './banner';
import { serveClusterMetrics } from './cluster-metrics';
import { PRIMARY_URL_ENV } from './worker-env';
import { serveCountersToWorkers, MemoryCounters } from '@gatehouse/spend';

/**
 * The standalone primary with GATEHOUSE_WORKERS > 1: owns the bus (in-process, persisted), chDB and the
 * guard and analytics modules on an internal 127.0.0.1 port; forks the HTTP workers that share the
 * public port, bridges their bus traffic over IPC and replaces any that dies. SIGTERM drains the
 * workers first, then itself (bus flush, chDB close).
 */
export async function runPrimary(settings: Settings, workers: number): Promise<void> {
  let pool: WorkerPool | null = null;
  let bridge: { close(): Promise<void> } | null = null;
  let stopMetrics: () => void = () => undefined;
  let stopCache: () => void = () => undefined;
  let stopCounters: () => void = () => undefined;
  let stopReloads: () => void = () => undefined;
  const started = await startApp({
    role: 'standalone',
    defaultPort: 8080,
    modules: [GuardModule, AnalyticsModule],
    needsStore: true,
    settings,
    listen: { port: 0, host: '127.0.0.1' },
    beforeShutdown: async () => {
      await pool?.stop(10_000);
      await bridge?.close();
      stopMetrics();
      stopCache();
      stopCounters();
      stopReloads();
    },
  });
  const { runtime } = started;
  bridge = await bridgeWorkersToBus(runtime.bus, cluster, runtime.logger);
  stopMetrics = serveClusterMetrics(cluster);
  stopReloads = fanOutConfigReloads(cluster, runtime.logger);
  if (!settings.env.REDIS_URL) stopCache = replicateCacheAcrossWorkers(cluster, runtime.logger);
  // Without Redis the primary owns the rate-limit and budget counters; workers call it over IPC.
  if (!settings.env.REDIS_URL) stopCounters = serveCountersToWorkers(new MemoryCounters(), cluster).close;
  pool = startWorkerPool({
    count: workers,
    logger: runtime.logger,
    env: { GATEHOUSE_ADMIN_TOKEN: settings.adminToken, [PRIMARY_URL_ENV]: `http://127.0.0.1:${started.port}` },
    onFatal: () => {
      process.exitCode = 1;
      void started.shutdown('a worker failed at start-up');
    },
  });
  await pool.listening;
  runtime.logger.info({ worker_pids: pool.pids(), internal_port: started.port }, 'standalone workers listening');
  printBanner(runtime, runtime.configSource === bundledExamplePath(), workers);
}
