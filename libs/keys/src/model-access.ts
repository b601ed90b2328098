import { globToRegExp, type KeyRecord, GatewayError } from '@gatehouse/contracts';

const cache = new Map<string, RegExp>();

/** A key's model globs, with the guardrails' glob semantics (`*`, `?`); compiled once per pattern. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  let re = cache.get(pattern);
  if (!re) cache.set(pattern, (re = globToRegExp(pattern)));
  return re.test(value);
}

export const anyGlob = (patterns: readonly string[], value: string): boolean => patterns.some((p) => globMatch(p, value));

/**
 * 403 when the key's model globs do not cover `model`, whether or not the gateway has that model:
 * checked before the model lookup, so a key limited to some models cannot tell which others exist.
 */
export function authorizeModel(key: KeyRecord, model: string): void {
  if (!anyGlob(key.models, model)) {
    throw new GatewayError(403, 'permission_error', `key "${key.name}" is not allowed to use model "${model}"`, {
      code: 'model_not_allowed',
      param: 'model',
    });
  }
}
