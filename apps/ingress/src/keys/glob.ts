import { globToRegExp } from '@gatehouse/guardrails/glob';

const cache = new Map<string, RegExp>();

/** A key's model globs, with the guardrails' glob semantics (`*`, `?`); compiled once per pattern. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  let re = cache.get(pattern);
  if (!re) cache.set(pattern, (re = globToRegExp(pattern)));
  return re.test(value);
}

export const anyGlob = (patterns: readonly string[], value: string): boolean => patterns.some((p) => globMatch(p, value));
