import 'reflect-metadata';
import cluster from 'node:cluster';
import { startApp, bundledExamplePath, failStartup, loadSettings, type Settings } from '@gatehouse/runtime';
import { AnalyticsModule } from '../../analytics/src';
import { GuardModule } from '../../guard/src';
import { IngressModule } from '../../ingress/src';
import { printBanner } from './banner';
import { runPrimary } from './primary';
import { runWorker } from './worker';

/** GATEHOUSE_WORKERS=1: all three apps in one process on one port (8080). */
async function runSingleProcess(settings: Settings): Promise<void> {
  const { runtime } = await startApp({
    role: 'standalone',
    defaultPort: 8080,
    modules: [IngressModule, GuardModule, AnalyticsModule],
    needsStore: true,
    settings,
  });
  printBanner(runtime, runtime.configSource === bundledExamplePath(), 1);
}

/**
 * Standalone: in-process bus persisted under the data dir, chDB for analytics, in-memory counters.
 * With GATEHOUSE_WORKERS > 1 (default: cores) a primary owns those and N workers serve port 8080
 * (docs/operations.md, "Processes and workers").
 */
function main(): void {
  let settings: Settings;
  try {
    settings = loadSettings('standalone');
  } catch (e) {
    failStartup(e);
  }
  if (cluster.isWorker) void runWorker(settings);
  else if (settings.env.GATEHOUSE_WORKERS <= 1) void runSingleProcess(settings);
  else void runPrimary(settings, settings.env.GATEHOUSE_WORKERS);
}

main();
