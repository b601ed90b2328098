/**
 * What the PII and secrets detectors scan: the text with look-alike obfuscation undone, and a map
 * back to the original, so that redaction still replaces the original characters.
 *
 * Per code point: zero-width characters, bidi controls, variation selectors and Unicode tag
 * characters are removed; Cyrillic and Greek letters that look like Latin ones are folded to them
 * (`а` U+0430 → `a`); everything else goes through NFKC (fullwidth `１` → `1`, ligatures, circled
 * digits, non-breaking spaces). NFKC is applied per code point, not across combining sequences,
 * which is what the detectors need (their patterns are ASCII) and keeps the map exact.
 *
 * Plain ASCII text (the common case) is returned as is, without a map: one linear test, no copy.
 */
export interface ScanText {
  readonly text: string;
  /** For normalized character i: the original offset where its source code point starts; null = identity. */
  readonly from: Int32Array | null;
  /** For normalized character i: the original offset just after its source code point. */
  readonly to: Int32Array | null;
}

const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\uFE00-\uFE0F]/;
const NON_ASCII = /[^\x00-\x7F]/;

/** Cyrillic and Greek letters drawn like Latin letters (the pairs of Unicode's confusables list within these scripts). */
const LOOKALIKES = new Map<string, string>(Object.entries({
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', ӏ: 'l',
  А: 'A', В: 'B', Е: 'E', Ё: 'E', З: '3', І: 'I', Ї: 'I', Ј: 'J', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', Ѕ: 'S', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Ӏ: 'I',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c', ϳ: 'j',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ϲ: 'C', Ϳ: 'J',
}));

const IDENTITY = (text: string): ScanText => ({ text, from: null, to: null });

/** What one code point becomes (memoised: a text uses few distinct characters, NFKC per call is slow). */
const folded = new Map<number, string>();
function fold(cp: number, ch: string): string {
  let mapped = folded.get(cp);
  if (mapped === undefined) {
    mapped = (cp >= 0xe0000 && cp <= 0xe007f) || INVISIBLE.test(ch) ? '' : LOOKALIKES.get(ch) ?? ch.normalize('NFKC');
    if (folded.size < 65_536) folded.set(cp, mapped);
  }
  return mapped;
}

export function normalizeForScan(text: string): ScanText {
  if (!NON_ASCII.test(text)) return IDENTITY(text);
  const out: string[] = [];
  let from: Int32Array<ArrayBuffer> = new Int32Array(text.length + 16);
  let to: Int32Array<ArrayBuffer> = new Int32Array(text.length + 16);
  let n = 0;
  let changed = false;
  let runStart = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    if (cp < 0x80) {
      from[n] = i;
      to[n++] = i + 1;
      i++;
      continue;
    }
    const width = cp > 0xffff ? 2 : 1;
    const ch = width === 1 ? text[i] : text.slice(i, i + 2);
    const mapped = fold(cp, ch);
    if (mapped === ch) {
      for (let k = 0; k < width; k++) {
        from[n] = i;
        to[n++] = i + width;
      }
      i += width;
      continue;
    }
    changed = true;
    out.push(text.slice(runStart, i), mapped);
    if (n + mapped.length > from.length) {
      from = grow(from, n + mapped.length);
      to = grow(to, n + mapped.length);
    }
    for (let k = 0; k < mapped.length; k++) {
      from[n] = i;
      to[n++] = i + width;
    }
    i += width;
    runStart = i;
  }
  if (!changed) return IDENTITY(text);
  out.push(text.slice(runStart));
  return { text: out.join(''), from, to };
}

function grow(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(need + 16, a.length * 2));
  b.set(a);
  return b;
}

/** The original range of the normalized range [start, end) (end > start): the removed invisible characters inside it included. */
export function originalRange(scan: ScanText, start: number, end: number): [number, number] {
  if (scan.from === null || scan.to === null) return [start, end];
  return [scan.from[start], scan.to[end - 1]];
}
