import 'reflect-metadata';
import { startApp } from '@gatehouse/runtime';
import { GuardModule } from './guard.module';

void startApp({ role: 'guard', defaultPort: 8081, modules: [GuardModule], needsStore: false });
