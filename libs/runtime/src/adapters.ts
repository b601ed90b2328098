import type { ClickHouseClient } from '@clickhouse/client';
import type { GatehouseEnv } from '@gatehouse/config/env';
import type { Bus } from '@gatehouse/bus/bus.port';
import { createKafkaBus } from '@gatehouse/bus/kafka/kafka-bus';
import { createInProcessBus } from '@gatehouse/bus/in-process/in-process-bus';
import type { Logger } from '@gatehouse/observability/logger';
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
  // Loaded only by the processes that own the store: chDB's engine is ~140 MB of memory.
  const { createClickHouse } = await import('@gatehouse/clickhouse/client');
  return createClickHouse(env, logger);
}
