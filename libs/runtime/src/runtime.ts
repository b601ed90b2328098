import type { ClickHouseClient } from '@clickhouse/client';
import type { GatehouseConfig, GatehouseEnv } from '@gatehouse/config';
import type { Bus } from '@gatehouse/bus';
import type { Logger } from '@gatehouse/observability';

export type AppRole = 'ingress' | 'guard' | 'analytics' | 'standalone';

/**
 * Everything a process wires once, before Nest starts: validated env and config, and the adapters
 * behind each port (bus, analytics store). App modules receive it through RuntimeModule.
 */
export interface Runtime {
  role: AppRole;
  env: GatehouseEnv;
  config: GatehouseConfig;
  configSource: string;
  bus: Bus;
  /** Present in processes that own the analytics store (analytics, standalone primary). */
  clickhouse: ClickHouseClient | null;
  logger: Logger;
  /** Admin bearer token (generated and printed by standalone when unset). */
  adminToken: string;
}

export const RUNTIME = Symbol('RUNTIME');
export const CLICKHOUSE = Symbol('CLICKHOUSE');
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
