/**
 * Replaces ${NAME} and ${NAME:-default} in every string of a parsed YAML tree.
 * A reference to an unset variable without a default is an error naming the path.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateEnv(node: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof node === 'string') {
    return node.replace(REF, (_m, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${formatPath(path)}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(node)) return node.map((v, i) => interpolateEnv(v, env, [...path, String(i)]));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = interpolateEnv(v, env, [...path, k]);
    return out;
  }
  return node;
}

export function formatPath(path: ReadonlyArray<string | number | symbol>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number' || /^\d+$/.test(String(p))) out += `[${String(p)}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}
