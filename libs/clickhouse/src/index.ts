import type { GatehouseEnv } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import type { ClickHouseClient } from '@clickhouse/client';

/** Public surface of libs/clickhouse: migrations and the client factory. */
export * from './migrator';
export * from './trace-texts';
export type { ClickHouseClient };

/** The analytics store client (ClickHouse server or chDB); chDB's engine is loaded only by the processes that call this. */
export async function createClickHouse(env: GatehouseEnv, logger: Logger): Promise<ClickHouseClient> {
  const { createClickHouse: create } = await import('./client');
  return create(env, logger);
}
