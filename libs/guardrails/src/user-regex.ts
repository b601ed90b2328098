import { PolicyCompileError } from './check';

/**
 * User-supplied regular expressions (regex check, pii custom entities) run on the request path,
 * so they are guarded against catastrophic backtracking in two ways:
 *
 * 1. At policy validation a pattern is rejected when it can backtrack exponentially: a quantified
 *    group that itself contains a quantifier (`(a+)+`, `(\w*\s?)*`, `(x{2,})+`) or a backreference.
 *    What is left can still be polynomial (`.*a.*b` on a long input without `b`).
 * 2. At run time each pattern sees the text in windows of at most USER_REGEX_WINDOW characters
 *    (overlapping by USER_REGEX_OVERLAP), which caps that polynomial cost per window and keeps the
 *    total linear in the input size. The price: a match longer than the overlap that straddles
 *    a window boundary is found only in part (its first window's part).
 *
 * PCRE-style inline flags are accepted only as a prefix: `(?i)`, `(?s)`, `(?m)` and combinations
 * (`(?is)`), as in PRODUCT.md's `(?i)internal only`.
 */
export const USER_REGEX_WINDOW = 4096;
export const USER_REGEX_OVERLAP = 256;

const INLINE_FLAGS = /^\(\?([ims]+)\)/;

export function compileUserRegex(pattern: string, path: string): RegExp {
  let source = pattern;
  let flags = 'g';
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of new Set(inline[1])) flags += f;
  }
  const problem = backtrackingRisk(source);
  if (problem) throw new PolicyCompileError(path, problem);
  try {
    const re = new RegExp(source, flags);
    if (re.test('')) throw new PolicyCompileError(path, 'pattern matches the empty string');
    return re;
  } catch (err) {
    if (err instanceof PolicyCompileError) throw err;
    throw new PolicyCompileError(path, `invalid regular expression: ${(err as Error).message}`);
  }
}

interface Group {
  quantified: boolean;
}

/** Returns why a pattern risks exponential backtracking, or null. A small scanner over the pattern's syntax. */
export function backtrackingRisk(source: string): string | null {
  const stack: Group[] = [{ quantified: false }];
  let i = 0;
  const quantifierAt = (j: number): number => {
    const c = source[j];
    if (c === '*' || c === '+') return 1;
    if (c === '?') return 0;
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(j));
      if (!m) return 0;
      if (m[2] === undefined) return 0;
      return m[3] === '' || Number(m[3]) > 1 ? m[0].length : 0;
    }
    return 0;
  };
  const quantified = (j: number): number => {
    const q = quantifierAt(j);
    if (q > 0) stack[stack.length - 1].quantified = true;
    return q;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'backreferences are not allowed';
      i += 2;
      i += quantified(i);
    } else if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      i += quantified(i);
    } else if (c === '(') {
      stack.push({ quantified: false });
      i++;
      if (source[i] === '?') {
        i++;
        if (source[i] === '<' && (source[i + 1] === '=' || source[i + 1] === '!')) i += 2;
        else if (source[i] === '<') {
          while (i < source.length && source[i] !== '>') i++;
          i++;
        } else i++;
      }
    } else if (c === ')') {
      const inner = stack.length > 1 ? stack.pop()! : stack[0];
      i++;
      const q = quantifierAt(i);
      if (q > 0 && inner.quantified) return 'nested quantifiers (a quantified group containing a quantifier) can backtrack exponentially';
      if (q > 0 || inner.quantified) stack[stack.length - 1].quantified = true;
      i += q;
    } else {
      i++;
      i += quantified(i);
    }
  }
  return null;
}

/** Every match of a compiled user regex in `text`, window by window (see above). */
export function matchUserRegex(re: RegExp, text: string, onMatch: (start: number, end: number) => void): void {
  const step = USER_REGEX_WINDOW - USER_REGEX_OVERLAP;
  let lastEnd = 0;
  for (let base = 0; base < text.length; base += step) {
    const isLast = base + USER_REGEX_WINDOW >= text.length;
    const window = base === 0 && isLast ? text : text.slice(base, base + USER_REGEX_WINDOW);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(window)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const start = base + m.index;
      if (!isLast && m.index >= step) break;
      if (start >= lastEnd) {
        lastEnd = start + m[0].length;
        onMatch(start, lastEnd);
      }
    }
    if (isLast) break;
  }
}
