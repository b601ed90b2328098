import 'reflect-metadata';
import { startApp } from '@gatehouse/runtime';
import { AnalyticsModule } from './analytics.module';

void startApp({ role: 'analytics', defaultPort: 8082, modules: [AnalyticsModule], needsStore: true });
