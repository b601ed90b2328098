import { ConfigError, type GatehouseEnv } from '@gatehouse/config';

/** Set by the standalone primary on the workers it forks: where its internal HTTP server listens (validated with the rest of the env). */
export const PRIMARY_URL_ENV = 'GATEHOUSE_PRIMARY_URL' satisfies keyof GatehouseEnv;

export function primaryUrlOf(env: GatehouseEnv): string {
  if (!env.GATEHOUSE_PRIMARY_URL) throw new ConfigError(`${PRIMARY_URL_ENV}: required in a standalone worker (set by the standalone primary; do not start workers by hand)`);
  return env.GATEHOUSE_PRIMARY_URL;
}
