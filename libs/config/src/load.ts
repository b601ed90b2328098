import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ZodError } from 'zod';
import { GatehouseConfigSchema, type GatehouseConfig } from './schema';
import { ConfigError, formatPath, interpolateEnv } from './interpolate';

export interface LoadedConfig {
  config: GatehouseConfig;
  /** The file the config came from. */
  source: string;
}

export function formatZodError(error: ZodError, prefix = ''): string {
  return error.issues
    .map((i) => {
      const p = formatPath([...(prefix ? [prefix] : []), ...i.path.map((x) => (typeof x === 'symbol' ? String(x) : x))]);
      return `${p}: ${i.message}`;
    })
    .join('\n');
}

export function parseConfig(text: string, env: NodeJS.ProcessEnv, source: string): GatehouseConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true }) ?? {};
  } catch (e) {
    const msg = e instanceof YAMLParseError ? e.message : String(e);
    throw new ConfigError(`${source}: invalid YAML: ${msg}`);
  }
  const interpolated = interpolateEnv(raw, env);
  const result = GatehouseConfigSchema.safeParse(interpolated);
  if (!result.success) throw new ConfigError(`${source}: invalid config\n${formatZodError(result.error)}`);
  return result.data;
}

/** GATEHOUSE_CONFIG, else ./gatehouse.yaml, else the bundled example. */
export function resolveConfigPath(env: NodeJS.ProcessEnv, bundledExample: string): string {
  if (env.GATEHOUSE_CONFIG) {
    const p = resolve(env.GATEHOUSE_CONFIG);
    if (!existsSync(p)) throw new ConfigError(`GATEHOUSE_CONFIG: file not found: ${p}`);
    return p;
  }
  const local = resolve('gatehouse.yaml');
  return existsSync(local) ? local : bundledExample;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${path}: cannot read config: ${(e as Error).message}`);
  }
  return { config: parseConfig(text, env, path), source: path };
}
