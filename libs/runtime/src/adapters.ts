import { createClickHouse, type ClickHouseClient } from '@gatehouse/clickhouse';
import type { GatehouseEnv } from '@gatehouse/config';
import { type Bus, createKafkaBus, createInProcessBus } from '@gatehouse/bus';
import type { Logger } from '@gatehouse/observability';
import type { AppRole } from './runtime';
import { dataPath } from './settings';

/** Kafka when KAFKA_BROKERS is set; otherwise (standalone only) the in-process bus persisted under the data dir. */
export async function createBus(role: AppRole, env: GatehouseEnv, logger: Logger): Promise<Bus> {
  if (env.KAFKA_BROKERS) {
    const bus = await createKafkaBus({
      brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      clientId: `${env.KAFKA_CLIENT_ID}-${role}`,
      logger,
    });
    await bus.ensureTopics();
    return bus;
  }
  return createInProcessBus({ dataDir: dataPath(env), logger });
}

/** The analytics store: ClickHouse server when CLICKHOUSE_URL is set, else chDB under the data dir. */
export async function createStore(env: GatehouseEnv, logger: Logger): Promise<ClickHouseClient> {
  // chDB's engine (~140 MB of memory) is loaded by createClickHouse, only in the processes that own the store.
  return createClickHouse(env, logger);
}
