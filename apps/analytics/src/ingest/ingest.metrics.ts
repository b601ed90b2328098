import { counter, gauge, histogram } from '@gatehouse/observability';

export const rowsInserted = counter('gatehouse_analytics_rows_inserted_total', 'Rows acknowledged by ClickHouse', ['table']);
export const rowsDeduplicated = counter(
  'gatehouse_analytics_rows_deduplicated_total',
  'Rows dropped before insert because their id was already stored (replays)',
  ['table'],
);
export const insertFailures = counter('gatehouse_analytics_insert_failures_total', 'Failed ClickHouse insert attempts', ['table']);
export const insertDuration = histogram(
  'gatehouse_analytics_insert_duration_seconds',
  'Duration of one ClickHouse batch insert (dedupe check included)',
  ['table'],
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);
export const consumerLag = gauge('gatehouse_analytics_consumer_lag', 'Messages not yet consumed by gatehouse-analytics', ['topic']);
