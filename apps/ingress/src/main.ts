import './heap-growth';
import 'reflect-metadata';
import { superviseWorkers, startApp, failStartup, loadSettings, type Settings } from '@gatehouse/runtime';
import { IngressModule } from './ingress.module';

/** Env and config are read and validated once per process, before anything else. */
function main(): void {
  let settings: Settings;
  try {
    settings = loadSettings('ingress');
  } catch (e) {
    failStartup(e);
  }
  if (superviseWorkers(settings.env.GATEHOUSE_WORKERS)) return;
  void startApp({ role: 'ingress', defaultPort: 8080, modules: [IngressModule], needsStore: false, settings });
}

main();
