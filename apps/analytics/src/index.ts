/** What other apps (standalone) and tests may use of the analytics app. */
export { ANALYTICS_INGEST_OPTIONS, AnalyticsModule, type AnalyticsIngestOverrides } from './analytics.module';
