import { join, resolve } from 'node:path';
import { ConfigError, loadConfigFile, parseEnv, resolveConfigPath, type GatehouseEnv, type LoadedConfig } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import { persistedAdminToken } from './admin-token';
import type { AppRole } from './runtime';

export interface Settings {
  env: GatehouseEnv;
  loaded: LoadedConfig;
  adminToken: string;
  adminTokenGenerated: boolean;
}

/** The example config shipped next to the build (dist/gatehouse.example.yaml) or at the repo root. */
export function bundledExamplePath(): string {
  const candidates = [resolve(__dirname, '../../../gatehouse.example.yaml'), resolve(__dirname, '../../../../gatehouse.example.yaml')];
  return candidates.find((p) => require('node:fs').existsSync(p)) ?? candidates[0];
}

/**
 * Validates env and config before Nest starts. Throws ConfigError naming the field.
 * Separate apps need real services and an admin token; standalone has embedded defaults.
 */
export function loadSettings(role: AppRole, processEnv: NodeJS.ProcessEnv = process.env): Settings {
  const env = parseEnv(processEnv);
  const loaded = loadConfigFile(resolveConfigPath(processEnv, bundledExamplePath()), processEnv);
  if (role !== 'standalone') {
    if (!env.KAFKA_BROKERS) throw new ConfigError(`KAFKA_BROKERS: required for the ${role} app (run apps/standalone for embedded defaults)`);
    if (!env.GATEHOUSE_ADMIN_TOKEN) throw new ConfigError(`GATEHOUSE_ADMIN_TOKEN: required for the ${role} app`);
  }
  const generated = !env.GATEHOUSE_ADMIN_TOKEN;
  const adminToken = env.GATEHOUSE_ADMIN_TOKEN ?? persistedAdminToken(env);
  return { env, loaded, adminToken, adminTokenGenerated: generated };
}

/** Where an app listens when HOST is unset: standalone on loopback only (its example dev key must not be reachable from the network), the separate apps on every interface. */
export function listenHost(role: AppRole, env: Pick<GatehouseEnv, 'HOST'>): string {
  return env.HOST ?? (role === 'standalone' ? '127.0.0.1' : '0.0.0.0');
}

export const dataPath = (env: GatehouseEnv, ...parts: string[]) => join(env.GATEHOUSE_DATA_DIR, ...parts);

/** Print a start-up failure as one clear message and exit non-zero. */
export function failStartup(e: unknown, log?: Logger): never {
  const message = e instanceof ConfigError ? e.message : `start-up failed: ${(e as Error)?.stack ?? String(e)}`;
  if (log) log.fatal(message);
  process.stderr.write(`gatehouse: ${message}\n`);
  process.exit(1);
}
