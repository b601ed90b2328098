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
 * The kinds are registered once (module load) and all found by one pass over a text (scanAllRuns),
 * whichever checks ask for them.
 */
export interface RunKind {
  readonly index: number;
  readonly minLength: number;
}

const MAX_KINDS = 8;
/** Bit k of CLASSES[c]: character c belongs to run kind k. */
const CLASSES = new Uint8Array(128);
const MIN_LENGTHS: number[] = [];

export function runKind(chars: RegExp, minLength: number): RunKind {
  const index = MIN_LENGTHS.length;
  if (index >= MAX_KINDS) throw new Error(`at most ${MAX_KINDS} run kinds`);
  for (let c = 0; c < 128; c++) if (chars.test(String.fromCharCode(c))) CLASSES[c] |= 1 << index;
  MIN_LENGTHS.push(minLength);
  return { index, minLength };
}

export const runKindCount = (): number => MIN_LENGTHS.length;

/** The runs of every registered kind in `text`: `runs[k]` holds start, end, start, end… in text order. */
export interface AllRuns {
  readonly runs: readonly number[][];
  /** Whether the text holds a character above U+007F. */
  readonly nonAscii: boolean;
}

const starts = new Int32Array(MAX_KINDS);

/**
 * One linear pass over the char codes for all run kinds at once (a class bitmask per character;
 * work beyond the loop only where the set of classes changes), no regex, no backtracking.
 */
export function scanAllRuns(text: string): AllRuns {
  const kinds = MIN_LENGTHS.length;
  const runs: number[][] = [];
  for (let k = 0; k < kinds; k++) runs.push([]);
  let prev = 0;
  let high = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    let bits = 0;
    if (i < n) {
      const c = text.charCodeAt(i);
      high |= c;
      if (c < 128) bits = CLASSES[c];
    }
    if (bits === prev) continue;
    let changed = bits ^ prev;
    while (changed !== 0) {
      const low = changed & -changed;
      changed ^= low;
      const k = 31 - Math.clz32(low);
      if ((bits & low) !== 0) starts[k] = i;
      else if (i - starts[k] >= MIN_LENGTHS[k]) runs[k].push(starts[k], i);
    }
    prev = bits;
  }
  return { runs, nonAscii: high > 0x7f };
}
