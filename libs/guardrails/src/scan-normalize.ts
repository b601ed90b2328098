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

export function normalizeForScan(text: string): ScanText {
  if (!NON_ASCII.test(text)) return IDENTITY(text);
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let changed = false;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = width === 1 ? text[i] : text.slice(i, i + 2);
    let mapped: string;
    if (cp < 0x80) mapped = ch;
    else if ((cp >= 0xe0000 && cp <= 0xe007f) || INVISIBLE.test(ch)) mapped = '';
    else mapped = LOOKALIKES.get(ch) ?? ch.normalize('NFKC');
    if (mapped !== ch) changed = true;
    for (let k = 0; k < mapped.length; k++) {
      out.push(mapped[k]);
      from.push(i);
      to.push(i + width);
    }
    i += width;
  }
  if (!changed) return IDENTITY(text);
  return { text: out.join(''), from: Int32Array.from(from), to: Int32Array.from(to) };
}

/** The original range of the normalized range [start, end) (end > start): the removed invisible characters inside it included. */
export function originalRange(scan: ScanText, start: number, end: number): [number, number] {
  if (scan.from === null || scan.to === null) return [start, end];
  return [scan.from[start], scan.to[end - 1]];
}
