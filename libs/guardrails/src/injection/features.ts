import { INJECTION_RULES, type InjectionRule } from '../checks/injection-rules';

/**
 * The prompt-injection classifier's features, shared by training and inline scoring so both see
 * exactly the same numbers.
 *
 * A text is scored in windows of WINDOW characters (stride STRIDE); per window, of the n-grams that
 * complete inside it (the whole text is read once, see TextFeatures):
 * - character 3- and 5-grams of the lower-cased text (whitespace runs folded to one space,
 *   digits folded to `0`), hashed into HASH_DIM buckets; each counts 1/√(number of char n-grams);
 * - word unigrams and bigrams (a word: letters, digits, apostrophes; any non-ASCII letter counts
 *   as a letter), hashed into the same buckets with other seeds; each counts 1/√(number of words);
 * - one binary feature per rule of injection-rules.ts that matched inside the window.
 * Hashing is polynomial over UTF-16 code units (Math.imul, wraps at 2^32) then a multiplicative
 * mix; no allocation per n-gram. Inline scoring sums the weights as 16-bit fixed-point integers
 * (MarkedWeights): integer sums stay in machine registers whatever the JIT decides about the loop's
 * variables, which float sums did not (the pass ran 3x slower in most processes).
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
 * the same pass as the n-grams: their buckets are marked in the weight table `read` looks up anyway
 * (MarkedWeights), then the rolling hash is checked exactly. `read` ORs the masks of the rules whose
 * anchors occur into `anchorMask`.
 */
export class AnchorSet {
  /** The buckets of the anchors' n-grams. */
  readonly buckets = new Set<number>();
  private readonly masks3 = new Map<number, number>();
  private readonly masks5 = new Map<number, number>();

  constructor(rules: readonly InjectionRule[]) {
    rules.forEach((rule, r) =>
      rule.anchors.forEach((anchor) => {
        if (anchor.length !== 3 && anchor.length !== 5) throw new Error(`injection rule ${rule.id}: anchor "${anchor}" must have 3 or 5 characters`);
        let h = 0;
        for (let i = 0; i < anchor.length; i++) h = (Math.imul(h, P) + fold(anchor.charCodeAt(i))) | 0;
        this.buckets.add(bucket(h, anchor.length === 3 ? SEED_3 : SEED_5));
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

/** The table entry of a marked bucket: below every quantized weight (they are within ±MAX_UNITS). */
const MARK = -32768;
const MAX_UNITS = 32767;

/**
 * The weight table `read` looks every n-gram up in: the hashed part of a model's weights (zeros
 * without a model: training, anchors only) in fixed point, `scale` units per 1.0 (the largest
 * weight takes MAX_UNITS: a quantization error of at most 0.5 / scale per n-gram, ~2e-5 for the
 * shipped model), with each anchor bucket holding MARK. One look-up then gives the weight and
 * whether an anchor may have occurred: no second table read per n-gram.
 */
export class MarkedWeights {
  readonly table = new Int16Array(HASH_DIM);
  /** Table units per 1.0 of weight. */
  readonly scale: number;
  /** The quantized weights of the marked buckets (absent: 0). */
  private readonly marked = new Map<number, number>();

  constructor(
    readonly anchors: AnchorSet,
    weights: Float32Array | null,
  ) {
    let largest = 0;
    if (weights) for (let b = 0; b < HASH_DIM; b++) largest = Math.max(largest, Math.abs(weights[b]));
    if (!Number.isFinite(largest)) throw new Error('injection model weights: a hashed weight is not a finite number');
    this.scale = largest > 0 ? MAX_UNITS / largest : 1;
    if (weights) for (let b = 0; b < HASH_DIM; b++) this.table[b] = Math.round(weights[b] * this.scale);
    for (const b of anchors.buckets) {
      if (this.table[b] !== 0) this.marked.set(b, this.table[b]);
      this.table[b] = MARK;
    }
  }

  /** The weight of a marked bucket, in table units. */
  weightOf(b: number): number {
    return this.marked.get(b) ?? 0;
  }
}

let unweighted: MarkedWeights | null = null;
/** The rules' anchors without weights (training, and reading a text for its anchors only): created once, on first use. */
export function ruleAnchorsOnly(): MarkedWeights {
  unweighted ??= new MarkedWeights(RULE_ANCHORS, null);
  return unweighted;
}

/**
 * The hashed features of a text, read in one pass whatever its length: each n-gram belongs to the
 * position where it completes (a word n-gram: the character after the word), the text's end counts
 * as one more blank, and a window [s, e) has the n-grams that complete in it. Overlapping windows
 * therefore cost nothing more than the text itself.
 *
 * Results go into reusable buffers (no allocation per n-gram): per window the sums of its n-grams'
 * weights and their counts; with `store` (training), also every n-gram's bucket, `chars`/`words` in
 * text order, a window's from its `charFrom`/`wordFrom`.
 */
export class TextFeatures {
  /** Allocated by the first read with `store`. */
  chars = new Int32Array(0);
  words = new Int32Array(0);
  /**
   * Per cut (see `cuts`): the n-grams (chars, words) that completed before it, and their weights in
   * table units, summed modulo 2^32: a window's difference is exact, its true sum being far below 2^31.
   */
  private cutChars = new Int32Array(8);
  private cutWords = new Int32Array(8);
  private cutCharWeight = new Int32Array(8);
  private cutWordWeight = new Int32Array(8);
  /** 1 / the scale of the weights of the last read. */
  private unit = 1;
  /** The sorted distinct window starts and ends; a window's features are the difference between its end's cut and its start's. */
  private cuts: number[] = [];
  /** Per window: the index in `cuts` of its start and of its end. */
  private startCut: number[] = [];
  private endCut: number[] = [];
  /** The windows' starts and ends (windowStarts, windowEnd). */
  starts: number[] = [];
  ends: number[] = [];
  /** Rules whose anchors occur in the text. */
  anchorMask = 0;
  /** Whether the text holds a character above U+007F (invisible and bidi characters are among them). */
  nonAscii = false;

  /** Window w's char and word n-gram counts and the sums of their weights. */
  nChars(w: number): number {
    return this.cutChars[this.endCut[w]] - this.cutChars[this.startCut[w]];
  }

  nWords(w: number): number {
    return this.cutWords[this.endCut[w]] - this.cutWords[this.startCut[w]];
  }

  charWeight(w: number): number {
    return ((this.cutCharWeight[this.endCut[w]] - this.cutCharWeight[this.startCut[w]]) | 0) * this.unit;
  }

  wordWeight(w: number): number {
    return ((this.cutWordWeight[this.endCut[w]] - this.cutWordWeight[this.startCut[w]]) | 0) * this.unit;
  }

  /** Where window w's char and word buckets start in `chars` and `words` (read with `store`). */
  charFrom(w: number): number {
    return this.cutChars[this.startCut[w]];
  }

  wordFrom(w: number): number {
    return this.cutWords[this.startCut[w]];
  }

  /** The cuts of a text of `length` characters: every window start and end, sorted, distinct (both lists ascend: one merge). */
  private plan(length: number): void {
    const starts = windowStarts(length);
    const ends: number[] = [];
    for (const s of starts) ends.push(windowEnd(s, length));
    const cuts: number[] = [];
    const startCut: number[] = [];
    const endCut: number[] = [];
    for (let a = 0, b = 0; b < ends.length; ) {
      const next = a < starts.length ? Math.min(starts[a], ends[b]) : ends[b];
      if (cuts[cuts.length - 1] !== next) cuts.push(next);
      if (a < starts.length && starts[a] === next) startCut[a++] = cuts.length - 1;
      else endCut[b++] = cuts.length - 1;
    }
    this.starts = starts;
    this.ends = ends;
    this.cuts = cuts;
    this.startCut = startCut;
    this.endCut = endCut;
    if (this.cutChars.length < cuts.length) {
      this.cutChars = new Int32Array(cuts.length);
      this.cutWords = new Int32Array(cuts.length);
      this.cutCharWeight = new Int32Array(cuts.length);
      this.cutWordWeight = new Int32Array(cuts.length);
    }
  }

  /**
   * Reads the n-grams of `lower`, the text lower-cased by the caller once (non-ASCII case folding
   * that changes the length is not applied), summing their weights in `weights` and finding its
   * anchors. With `store` (training), also keeps every n-gram's bucket.
   */
  read(lower: string, weights: MarkedWeights, store?: boolean): this {
    const end = lower.length;
    this.plan(end);
    this.unit = 1 / weights.scale;
    if (store && this.chars.length < 2 * (end + 1)) {
      this.chars = new Int32Array(2 * (end + 1));
      this.words = new Int32Array(2 * (end + 1));
    }
    const cuts = this.cuts;
    const cutChars = this.cutChars;
    const cutWords = this.cutWords;
    const cutCharWeight = this.cutCharWeight;
    const cutWordWeight = this.cutWordWeight;
    // cuts[last] is the text's end, taken after the loop
    const last = cuts.length - 1;
    let cut = 0;
    let nextCut = last > 0 ? cuts[0] : -1;
    const table = weights.table;
    const anchors = weights.anchors;
    let mask = 0;
    let high = 0;
    const chars = this.chars;
    const words = this.words;
    let nc = 0;
    let nw = 0;
    // two sums for the char n-grams (3- and 5-grams) so the additions do not wait on each other
    let weight3 = 0;
    let weight5 = 0;
    let wordWeight = 0;
    let x3 = 0, x5 = 0;
    let c1 = 0, c2 = 0, c3 = 0, c4 = 0;
    let seen = 0;
    let word = 0;
    let wordLen = 0;
    let prevWord = 0;
    let hasPrev = false;
    let prevSpace = true;
    for (let i = 0; i <= end; i++) {
      if (i === nextCut) {
        cutChars[cut] = nc;
        cutWords[cut] = nw;
        cutCharWeight[cut] = (weight3 + weight5) | 0;
        cutWordWeight[cut] = wordWeight;
        nextCut = ++cut < last ? cuts[cut] : -1;
      }
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
        const v = table[b];
        wordWeight = (wordWeight + (v === MARK ? weights.weightOf(b) : v)) | 0;
        if (store) words[nw] = b;
        nw++;
        if (hasPrev) {
          const bigram = bucket((Math.imul(prevWord, P) + word) | 0, SEED_BIGRAM);
          const v2 = table[bigram];
          wordWeight = (wordWeight + (v2 === MARK ? weights.weightOf(bigram) : v2)) | 0;
          if (store) words[nw] = bigram;
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
        const v = table[b];
        if (v === MARK) {
          mask |= anchors.mask3(x3);
          weight3 = (weight3 + weights.weightOf(b)) | 0;
        } else weight3 = (weight3 + v) | 0;
        if (store) chars[nc] = b;
        nc++;
      }
      if (seen >= 5) {
        const b = bucket(x5, SEED_5);
        const v = table[b];
        if (v === MARK) {
          mask |= anchors.mask5(x5);
          weight5 = (weight5 + weights.weightOf(b)) | 0;
        } else weight5 = (weight5 + v) | 0;
        if (store) chars[nc] = b;
        nc++;
      }
      x5 = (x5 - Math.imul(c4, P4)) | 0;
      c4 = c3;
      c3 = c2;
      c2 = c1;
      c1 = c;
    }
    // the last cut is the text's end: after its closing blank
    cutChars[last] = nc;
    cutWords[last] = nw;
    cutCharWeight[last] = (weight3 + weight5) | 0;
    cutWordWeight[last] = wordWeight;
    this.anchorMask = mask;
    this.nonAscii = high > 0x7f;
    return this;
  }
}

/** Window starts covering `length` characters: one window up to MAX_WINDOW, then every STRIDE. */
export function windowStarts(length: number): number[] {
  // built by push, like the longer lists, not from a literal: one array shape whatever the length
  const out: number[] = [];
  out.push(0);
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
