/** What other apps (standalone) may use of the ingress app. */
export { IngressModule } from './ingress.module';
export { RELOAD_MESSAGE } from './config-reload/reload-fanout';
