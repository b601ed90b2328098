const cache = new Map<string, RegExp>();

/** Glob with `*` (any run) and `?` (one character), anchored, case-sensitive. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    cache.set(pattern, re);
  }
  return re.test(value);
}

export const anyGlob = (patterns: readonly string[], value: string): boolean => patterns.some((p) => globMatch(p, value));
