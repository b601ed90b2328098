/** ASCII membership table for a character class (index = char code < 128). */
export function charTable(chars: RegExp): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = chars.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
}

export const inTable = (t: Uint8Array, c: number): boolean => c < 128 && t[c] === 1;

/**
 * A kind of character run the checks look for (phone candidates, card digits, credential tokens,
 * base64): every maximal run of ASCII characters of a class, of at least `minLength` characters.
 * A TextAnalysis finds the runs of a kind once per text, whichever checks ask for them.
 */
export interface RunKind {
  /** The kind's slot in a TextAnalysis. */
  readonly index: number;
  readonly table: Uint8Array;
  readonly minLength: number;
  /** Sticky: from its lastIndex, the rest of a run (the class as `table` has it), for long runs. */
  readonly rest: RegExp;
}

/** Past this many characters, a run is followed by `RunKind.rest` (native code: ~5x faster per character than the loop). */
const LONG_RUN = 32;

let kinds = 0;

export function runKind(chars: RegExp, minLength: number): RunKind {
  if (!(minLength >= 1)) throw new Error('a run kind needs a minimum length of at least 1');
  const table = charTable(chars);
  const members = [...table.keys()].filter((c) => table[c] === 1).map((c) => `\\x${c.toString(16).padStart(2, '0')}`);
  return { index: kinds++, table, minLength, rest: new RegExp(`[${members.join('')}]*`, 'y') };
}

/**
 * The runs of `kind` in `text`: start, end, start, end… in text order. Any run of m = minLength
 * characters or more holds one of every m-th character, so only those are read, and the text is
 * expanded around the ones in the class; no character is read more than twice (linear on any
 * input, no regex). Ordinary prose costs a fraction of a pass.
 */
export function findRuns(text: string, kind: RunKind): number[] {
  const { table, minLength: m, rest } = kind;
  const n = text.length;
  const runs: number[] = [];
  let i = m - 1;
  while (i < n) {
    if (!inTable(table, text.charCodeAt(i))) {
      i += m;
      continue;
    }
    let start = i;
    while (start > 0 && inTable(table, text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    while (end < n && end - i < LONG_RUN && inTable(table, text.charCodeAt(end))) end++;
    if (end - i === LONG_RUN) {
      rest.lastIndex = end;
      rest.test(text);
      end = rest.lastIndex;
    }
    if (end - start >= m) runs.push(start, end);
    // text[end] is outside the class: every later run of m or more holds one of end + m, end + 2m, …
    i = end + m;
  }
  return runs;
}

/** Whether every character is ASCII (UTF-8 needs more bytes than UTF-16 units exactly when one is above U+007F). */
export const isAscii = (text: string): boolean => Buffer.byteLength(text, 'utf8') === text.length;
