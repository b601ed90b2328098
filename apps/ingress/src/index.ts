/** What other apps (standalone) may use of the ingress app. */
export { IngressModule } from './ingress.module';
