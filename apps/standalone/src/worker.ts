import { createIpcWorkerBus } from '@gatehouse/bus';
import { startApp, failStartup, type Settings } from '@gatehouse/runtime';
import { primaryUrlOf } from './worker-env';
import { StandaloneWorkerModule } from './worker.module';

/** A standalone HTTP worker forked by the primary: ingress on the shared public port, bus over IPC; exits when the primary goes away. */
export async function runWorker(settings: Settings): Promise<void> {
  let primaryUrl: string;
  try {
    primaryUrl = primaryUrlOf(settings.env);
  } catch (e) {
    failStartup(e);
  }
  const started = await startApp({
    role: 'standalone',
    defaultPort: 8080,
    modules: [StandaloneWorkerModule.forPrimary(primaryUrl)],
    needsStore: false,
    settings,
    bus: () => createIpcWorkerBus(),
  });
  process.once('disconnect', () => void started.shutdown('the primary process is gone'));
}
