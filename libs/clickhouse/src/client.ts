import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { Session } from 'chdb';
import type { GatehouseEnv } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';

export type { ClickHouseClient };

/**
 * chdb publishes its connection under the package export "chdb/connection", which this repo's
 * moduleResolution (node) cannot see; types come from the file behind that export.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createChdbConnection } = require('chdb/connection') as typeof import('chdb/dist/connection');

/** chdb's ChdbConnection implements the Connection type of its own copy of @clickhouse/client-common. */
type ChdbConnectionForClient = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Server settings of the embedded engine, given when it starts (they then hold for the process).
 * chDB removes the parts a merge replaced at once (old_parts_lifetime 0), and 100 or more of them
 * in parallel on a pool of up to 128 threads: on a 2-core host such a burst (58 threads running at
 * once in a soak, 111 for 150 parts in isolation) kept the ingress from a CPU for 150 ms. With two
 * threads the parts are still removed, without the burst.
 */
export const CHDB_SERVER_ARGS: readonly string[] = ['--max_parts_cleaning_thread_pool_size=2'];

/** The chDB data directory used when no ClickHouse server is configured. */
export function chdbDataDir(env: Pick<GatehouseEnv, 'GATEHOUSE_DATA_DIR'>): string {
  return join(env.GATEHOUSE_DATA_DIR, 'clickhouse');
}

async function createServerClient(env: GatehouseEnv, database: string, logger: Logger): Promise<ClickHouseClient> {
  const auth = { url: env.CLICKHOUSE_URL, username: env.CLICKHOUSE_USER ?? 'default', password: env.CLICKHOUSE_PASSWORD ?? '', request_timeout: env.CLICKHOUSE_REQUEST_TIMEOUT_MS };
  const bootstrap = createClient({ ...auth, database: 'default' });
  try {
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  } catch (e) {
    throw new Error(`ClickHouse at ${env.CLICKHOUSE_URL}: cannot create database ${database}: ${(e as Error).message}`);
  } finally {
    await bootstrap.close();
  }
  logger.info({ url: env.CLICKHOUSE_URL, database }, 'clickhouse server connected');
  return createClient({ ...auth, database });
}

async function createChdbClient(dir: string, database: string, logger: Logger): Promise<ClickHouseClient> {
  mkdirSync(dir, { recursive: true });
  let connection: ReturnType<typeof createChdbConnection>;
  try {
    // The first session on the directory starts the engine, with the server settings; the
    // connection shares that engine and keeps it open once the starting session is closed.
    const starter = new Session(dir, { connectionArgs: CHDB_SERVER_ARGS });
    try {
      connection = createChdbConnection({ path: dir });
    } finally {
      starter.close();
    }
  } catch (e) {
    throw new Error(
      `cannot open the chDB data directory ${dir}: another process (or another chDB session in this process) holds it; ` +
        `only one process may open it at a time — stop the other one, use a different GATEHOUSE_DATA_DIR, or set CLICKHOUSE_URL ` +
        `(${(e as Error).message})`,
    );
  }
  const client = createClient({ connection: connection as unknown as ChdbConnectionForClient, database });
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await client.command({ query: `USE ${database}` });
  logger.info({ dir, database }, 'chDB (in-process ClickHouse) opened');
  return client;
}

/**
 * The analytics store: a ClickHouse server over HTTP when CLICKHOUSE_URL is set, else chDB in-process
 * under <GATEHOUSE_DATA_DIR>/clickhouse. Either way the database CLICKHOUSE_DATABASE exists and is the
 * current one, so unqualified table names resolve the same on both (migrations qualify with {{database}}).
 */
export async function createClickHouse(env: GatehouseEnv, logger: Logger): Promise<ClickHouseClient> {
  const database = env.CLICKHOUSE_DATABASE;
  if (!IDENT.test(database)) throw new Error(`CLICKHOUSE_DATABASE: invalid database name ${JSON.stringify(database)}`);
  return env.CLICKHOUSE_URL
    ? createServerClient(env, database, logger)
    : createChdbClient(chdbDataDir(env), database, logger);
}

/** True when the store answers a ping within ~1 s (for /readyz). */
export async function clickhouseHealthy(client: ClickHouseClient): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([
      client.ping(),
      new Promise<{ success: false }>((resolve) => {
        timer = setTimeout(() => resolve({ success: false }), 1000);
      }),
    ]);
    return r.success;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
