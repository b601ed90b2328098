/** ASCII membership table for a character class (index = char code < 128). */
export function charTable(chars: RegExp): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = chars.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
}

export const inTable = (t: Uint8Array, c: number): boolean => c < 128 && t[c] === 1;

/**
 * Calls `onRun(start, end)` for every maximal run of characters in `table` of at least `minLength`.
 * A plain loop over char codes: linear, no regex backtracking, about a nanosecond per character.
 */
export function scanRuns(text: string, table: Uint8Array, minLength: number, onRun: (start: number, end: number) => void): void {
  let start = -1;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0;
    if (c < 128 && table[c] === 1) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start >= minLength) onRun(start, i);
      start = -1;
    }
  }
}
