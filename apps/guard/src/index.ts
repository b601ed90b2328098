/** What other apps (standalone) may use of the guard app. */
export { AsyncChecksModule } from './async-checks.module';
export { GuardModule } from './guard.module';
