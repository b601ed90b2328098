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
    .flatMap((i) => {
      const path = [...(prefix ? [prefix] : []), ...i.path.map((x) => (typeof x === 'symbol' ? String(x) : x))];
      // An unknown field is named by its own path, one line each.
      if (i.code === 'unrecognized_keys') return i.keys.map((k) => `${formatPath([...path, k])}: ${i.message.startsWith('Unrecognized key') ? 'unknown field' : i.message}`);
      return [`${formatPath(path)}: ${i.message}`];
    })
    .join('\n');
}

/**
 * `${VAR}` is not valid YAML inside a flow mapping (`{ api_key: ${KEY} }`, as the docs write it), so
 * references are swapped for inert tokens before parsing and restored in the parsed strings; values
 * from the environment are substituted after parsing and can never change the YAML structure.
 */
function protectRefs(text: string): { text: string; restore: (node: unknown) => unknown } {
  const refs: string[] = [];
  const protectedText = text.replace(/\$\{[^}\n]*\}/g, (m) => `__gh_env_ref_${refs.push(m) - 1}__`);
  const restoreString = (s: string) => s.replace(/__gh_env_ref_(\d+)__/g, (_m, i: string) => refs[Number(i)]);
  const restore = (node: unknown): unknown => {
    if (typeof node === 'string') return restoreString(node);
    if (Array.isArray(node)) return node.map(restore);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[restoreString(k)] = restore(v);
      return out;
    }
    return node;
  };
  return { text: protectedText, restore };
}

export function parseConfig(text: string, env: NodeJS.ProcessEnv, source: string): GatehouseConfig {
  let raw: unknown;
  const refs = protectRefs(text);
  try {
    raw = refs.restore(parseYaml(refs.text, { prettyErrors: true }) ?? {});
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
