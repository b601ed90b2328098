import './heap-growth';
import 'reflect-metadata';
import { parseEnv } from '@gatehouse/config/env';
import { superviseWorkers } from '@gatehouse/runtime/cluster';
import { startApp } from '@gatehouse/runtime/start';
import { failStartup, loadSettings } from '@gatehouse/runtime/wire';
import { IngressModule } from './ingress.module';

function main(): void {
  try {
    loadSettings('ingress');
    if (superviseWorkers(parseEnv(process.env).GATEHOUSE_WORKERS)) return;
  } catch (e) {
    failStartup(e);
  }
  void startApp({ role: 'ingress', defaultPort: 8080, modules: [IngressModule], needsStore: false });
}

main();
