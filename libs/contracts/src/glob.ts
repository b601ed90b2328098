/** Glob matching for scope and model lists: `*` matches any run of characters, `?` exactly one; the rest is literal. */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (const ch of glob) {
    if (ch === '*') src += '.*';
    else if (ch === '?') src += '.';
    else src += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 's');
}

export type GlobMatcher = (value: string | null | undefined) => boolean;

/** One matcher for a list of globs; `["*"]` short-circuits to always true, `[]` to always false. */
export function compileGlobs(globs: readonly string[]): GlobMatcher {
  if (globs.includes('*')) return () => true;
  if (globs.length === 0) return () => false;
  const res = globs.map(globToRegExp);
  return (value) => value != null && res.some((re) => re.test(value));
}
