import { INJECTION_RULES, type InjectionRule } from '../checks/injection-rules';

/**
 * The prompt-injection classifier's features, shared by training and inline scoring so both see
 * exactly the same numbers.
 *
 * A text is scored in windows of WINDOW characters (stride STRIDE); per window:
 * - character 3- and 5-grams of the lower-cased text (whitespace runs folded to one space,
 *   digits folded to `0`), hashed into HASH_DIM buckets; each counts 1/√(number of char n-grams);
 * - word unigrams and bigrams (a word: letters, digits, apostrophes; any non-ASCII letter counts
 *   as a letter), hashed into the same buckets with other seeds; each counts 1/√(number of words);
 * - one binary feature per rule of injection-rules.ts that matched inside the window.
 * Hashing is polynomial over UTF-16 code units (Math.imul, wraps at 2^32) then a multiplicative
 * mix; no allocation per n-gram (see WindowFeatures).
 */
export const HASH_BITS = 18;
export const HASH_DIM = 1 << HASH_BITS;
export const RULE_IDS: readonly string[] = INJECTION_RULES.map((r) => r.id);
/** Total weight vector length: hashed buckets, then one weight per rule. */
export const FEATURE_DIM = HASH_DIM + RULE_IDS.length;
export const WINDOW = 1024;
export const STRIDE = 768;
/** The longest window: a text up to this length is one window. */
export const MAX_WINDOW = WINDOW + (STRIDE >> 2);

const P = 0x01000193;
const SEED_3 = 0x3c6ef372;
const SEED_5 = 0x27d4eb2f;
const SEED_WORD = 0x165667b1;
const SEED_BIGRAM = 0x61c88647;
const SHIFT = 32 - HASH_BITS;
const P2 = Math.imul(P, P);
const P3 = Math.imul(P2, P);
const P4 = Math.imul(P3, P);

const bucket = (h: number, seed: number): number => Math.imul(h ^ seed, 0x9e3779b1) >>> SHIFT;

/** Lower-case ASCII letters, fold digits to '0', whitespace to ' ' (-1: a separator character for words). */
function fold(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 48 && c <= 57) return 48;
  if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0) return 32;
  return c;
}

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || c === 48 || c === 39 || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && (c < 0x2000 || c > 0x2bff) && (c < 0x3000 || c > 0x303f));

/** For an ASCII char code: fold(c), plus WORD_CHAR when that is a word character (one table read per character in `read`). */
const WORD_CHAR = 0x10000;
const ASCII_FOLD = Int32Array.from({ length: 128 }, (_, c) => fold(c) | (isWordChar(fold(c)) ? WORD_CHAR : 0));

/**
 * The rules' prefilter anchors (3- or 5-character strings, see InjectionRule.anchors), found in
 * the same pass as the n-grams: a bitmap over the n-gram buckets, then an exact check of the
 * rolling hash. `read` ORs the masks of the rules whose anchors occur into `anchorMask`.
 */
export class AnchorSet {
  readonly bits = new Uint32Array(HASH_DIM >>> 5);
  private readonly masks3 = new Map<number, number>();
  private readonly masks5 = new Map<number, number>();

  constructor(rules: readonly InjectionRule[]) {
    rules.forEach((rule, r) =>
      rule.anchors.forEach((anchor) => {
        if (anchor.length !== 3 && anchor.length !== 5) throw new Error(`injection rule ${rule.id}: anchor "${anchor}" must have 3 or 5 characters`);
        let h = 0;
        for (let i = 0; i < anchor.length; i++) h = (Math.imul(h, P) + fold(anchor.charCodeAt(i))) | 0;
        const b = bucket(h, anchor.length === 3 ? SEED_3 : SEED_5);
        this.bits[b >>> 5] |= 1 << (b & 31);
        const masks = anchor.length === 3 ? this.masks3 : this.masks5;
        masks.set(h, (masks.get(h) ?? 0) | (1 << r));
      }),
    );
  }

  mask3(h: number): number {
    return this.masks3.get(h) ?? 0;
  }

  mask5(h: number): number {
    return this.masks5.get(h) ?? 0;
  }
}

export const RULE_ANCHORS = new AnchorSet(INJECTION_RULES);

/**
 * The hashed features of one window, written into reusable buffers (no allocation per window):
 * `chars[0, nChars)` and `words[0, nWords)` hold bucket indices, one per occurrence.
 */
export class WindowFeatures {
  readonly chars = new Int32Array(2 * (MAX_WINDOW + 1));
  readonly words = new Int32Array(2 * (MAX_WINDOW + 1));
  nChars = 0;
  nWords = 0;
  /** Rules whose anchors occur in the window (when read with anchors). */
  anchorMask = 0;
  /** Whether the window holds a character above U+007F (invisible and bidi characters are among them). */
  nonAscii = false;
  /** When read with weights: Σ weights of the char n-grams and of the word n-grams, in occurrence order (the buffers stay unwritten). */
  charWeight = 0;
  wordWeight = 0;

  /**
   * Fills the buffers with the n-grams of `lower[start, end)` (end - start ≤ MAX_WINDOW). `lower` is
   * the text lower-cased by the caller once per text (non-ASCII case folding that changes the
   * length is not applied). With `weights` (scoring), the n-grams' weights are summed instead of stored.
   */
  read(lower: string, start: number, end: number, anchors: AnchorSet | null = null, weights: Float32Array | null = null): this {
    const bits = anchors?.bits ?? null;
    let mask = 0;
    let high = 0;
    const chars = this.chars;
    const words = this.words;
    let nc = 0;
    let nw = 0;
    let charWeight = 0;
    let wordWeight = 0;
    let x3 = 0, x5 = 0;
    let c1 = 0, c2 = 0, c3 = 0, c4 = 0;
    let seen = 0;
    let word = 0;
    let wordLen = 0;
    let prevWord = 0;
    let hasPrev = false;
    let prevSpace = true;
    for (let i = start; i <= end; i++) {
      let c = 32;
      let inWord = false;
      if (i < end) {
        const code = lower.charCodeAt(i);
        if (code < 128) {
          const folded = ASCII_FOLD[code];
          c = folded & 0xffff;
          inWord = folded >= WORD_CHAR;
        } else {
          c = fold(code);
          inWord = isWordChar(c);
        }
        high |= c;
        if (c === 32 && prevSpace) continue;
      }
      prevSpace = c === 32;
      if (inWord) {
        word = (Math.imul(word, P) + c) | 0;
        wordLen++;
      } else if (wordLen > 0) {
        const b = bucket(word, SEED_WORD);
        if (weights === null) words[nw] = b;
        else wordWeight += weights[b];
        nw++;
        if (hasPrev) {
          const bigram = bucket((Math.imul(prevWord, P) + word) | 0, SEED_BIGRAM);
          if (weights === null) words[nw] = bigram;
          else wordWeight += weights[bigram];
          nw++;
        }
        prevWord = word;
        hasPrev = true;
        word = 0;
        wordLen = 0;
      }
    // rolling polynomial hashes of the last 3 and 5 characters
      x3 = (Math.imul((x3 - Math.imul(c3, P2)) | 0, P) + c) | 0;
      x5 = (Math.imul(x5, P) + c) | 0;
      seen++;
      if (seen >= 3) {
        const b = bucket(x3, SEED_3);
        if (weights === null) chars[nc] = b;
        else charWeight += weights[b];
        nc++;
        if (bits !== null && (bits[b >>> 5] & (1 << (b & 31))) !== 0) mask |= anchors!.mask3(x3);
      }
      if (seen >= 5) {
        const b = bucket(x5, SEED_5);
        if (weights === null) chars[nc] = b;
        else charWeight += weights[b];
        nc++;
        if (bits !== null && (bits[b >>> 5] & (1 << (b & 31))) !== 0) mask |= anchors!.mask5(x5);
      }
      x5 = (x5 - Math.imul(c4, P4)) | 0;
      c4 = c3;
      c3 = c2;
      c2 = c1;
      c1 = c;
    }
    this.nChars = nc;
    this.nWords = nw;
    this.charWeight = charWeight;
    this.wordWeight = wordWeight;
    this.anchorMask = mask;
    this.nonAscii = high > 0x7f;
    return this;
  }
}

/** Window starts covering `length` characters: one window up to MAX_WINDOW, then every STRIDE. */
export function windowStarts(length: number): number[] {
  const out = [0];
  if (length <= MAX_WINDOW) return out;
  for (let s = STRIDE; s < length; s += STRIDE) {
    if (s + WINDOW >= length) {
      out.push(Math.max(s, length - WINDOW));
      break;
    }
    out.push(s);
  }
  return out;
}

export const windowEnd = (start: number, length: number): number =>
  length <= MAX_WINDOW ? length : Math.min(length, start + WINDOW);

/** The rules whose anchors occur anywhere in `lower` (a `matchRules` mask), window by window as the scorer reads them. */
export function anchoredRules(lower: string, f = new WindowFeatures()): number {
  let mask = 0;
  for (const s of windowStarts(lower.length)) mask |= f.read(lower, s, windowEnd(s, lower.length), RULE_ANCHORS).anchorMask;
  return mask;
}
