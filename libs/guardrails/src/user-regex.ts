import { RE2JS } from 're2js';
import { PolicyCompileError } from './check';

/**
 * User-supplied regular expressions (the regex check, pii custom entities) run on RE2 (re2js, a
 * pure-JS port of RE2): an automaton, so matching is linear in the text whatever the pattern —
 * `(a|aa)+$` or `(.*a){25}$` included. RE2 syntax is PCRE's without backreferences and
 * lookaround; a pattern RE2 cannot compile is refused when the policy is created, with RE2's
 * reason. PCRE-style inline flags (`(?i)`, `(?s)`, `(?m)`, `(?is)`) are RE2 syntax too, as in
 * PRODUCT.md's `(?i)internal only`.
 *
 * Cost: a few times V8's backtracking RegExp on ordinary patterns (docs/guardrails.md has the
 * measurement), paid only by policies that use user patterns.
 */
export type UserRegex = RE2JS;

export function compileUserRegex(pattern: string, path: string): UserRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    throw new PolicyCompileError(path, `invalid regular expression for RE2 (the linear-time engine user patterns run on; no backreferences or lookaround): ${(err as Error).message}`);
  }
  if (re.matcher('').find()) throw new PolicyCompileError(path, 'pattern matches the empty string');
  return re;
}

/** Every non-empty, non-overlapping match of a compiled user regex in `text`, left to right. */
export function matchUserRegex(re: UserRegex, text: string, onMatch: (start: number, end: number) => void): void {
  const m = re.matcher(text);
  while (m.find()) {
    const start = m.start();
    const end = m.end();
    if (end > start) onMatch(start, end);
  }
}
