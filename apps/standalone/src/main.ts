import 'reflect-metadata';
import { startApp } from '@gatehouse/runtime/start';
import { bundledExamplePath } from '@gatehouse/runtime/wire';
import { IngressModule } from '../../ingress/src/ingress.module';
import { GuardModule } from '../../guard/src/guard.module';
import { AnalyticsModule } from '../../analytics/src/analytics.module';
import { printBanner } from './banner';

/**
 * All three apps in one process on one port (8080): in-process bus persisted under the data dir,
 * chDB for analytics, in-memory counters. See README "Deviations" on GATEHOUSE_WORKERS.
 */
async function main(): Promise<void> {
  const { runtime } = await startApp({
    role: 'standalone',
    defaultPort: 8080,
    modules: [IngressModule, GuardModule, AnalyticsModule],
    needsStore: true,
  });
  printBanner(runtime, runtime.configSource === bundledExamplePath());
}

void main();
