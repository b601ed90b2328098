import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchRules } from '../checks/injection-rules';
import { FEATURE_DIM, HASH_BITS, HASH_DIM, MarkedWeights, RULE_ANCHORS, RULE_IDS, TextFeatures } from './features';

/** What `model.json` holds beside the weights (`weights.bin`: FEATURE_DIM little-endian float32). */
export interface ModelMeta {
  readonly version: number;
  readonly hash_bits: number;
  readonly rule_ids: readonly string[];
  readonly bias: number;
  /** Platt scaling of the raw margin: p = σ(a·z + b). */
  readonly platt: { readonly a: number; readonly b: number };
  readonly trained: Record<string, unknown>;
}

export interface InjectionModel {
  readonly meta: ModelMeta;
  readonly weights: Float32Array;
}

/** A rule that matched: its index in RULE_IDS and where. */
export interface RuleHit {
  readonly rule: number;
  readonly start: number;
  readonly end: number;
}

export const MODEL_DIR = join(__dirname, 'model');

export function loadModel(dir = MODEL_DIR): InjectionModel {
  const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelMeta;
  if (meta.hash_bits !== HASH_BITS || meta.rule_ids.join(',') !== RULE_IDS.join(',')) {
    throw new Error(`injection model in ${dir} was trained with other features (hash_bits ${meta.hash_bits}, rules ${meta.rule_ids.join(',')}): re-run npm run train:injection`);
  }
  const buf = readFileSync(join(dir, 'weights.bin'));
  if (buf.length !== FEATURE_DIM * 4) throw new Error(`injection model weights: expected ${FEATURE_DIM * 4} bytes, got ${buf.length}`);
  const weights = new Float32Array(FEATURE_DIM);
  for (let i = 0; i < FEATURE_DIM; i++) weights[i] = buf.readFloatLE(i * 4);
  return { meta, weights };
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The margin of window w of `f` read with the model's weights, without rules: bias + Σ char weights / √n + Σ word weights / √n. */
function baseMargin(bias: number, f: TextFeatures, w: number): number {
  let z = bias;
  const nChars = f.nChars(w);
  const nWords = f.nWords(w);
  if (nChars > 0) z += f.charWeight(w) / Math.sqrt(nChars);
  if (nWords > 0) z += f.wordWeight(w) / Math.sqrt(nWords);
  return z;
}

/** The weight of the distinct rules that matched inside [start, end). */
function ruleMargin(ruleWeights: Float32Array, hits: readonly RuleHit[], start: number, end: number): number {
  let z = 0;
  let seen = 0;
  for (const h of hits) {
    if (h.start < start || h.start >= end || seen & (1 << h.rule)) continue;
    seen |= 1 << h.rule;
    z += ruleWeights[h.rule];
  }
  return z;
}

export interface WindowScore {
  /** Calibrated P(injection) of the most suspicious window. */
  readonly score: number;
  /** That window's range. */
  readonly start: number;
  readonly end: number;
  /** Every rule that matched in the text (the rules run only when their anchors occur). */
  readonly hits: readonly RuleHit[];
  /** Whether the text holds a character above U+007F. */
  readonly nonAscii: boolean;
}

/** ASCII and non-ASCII letters, digits, folded blanks, words and an anchor (`gnore`): see InjectionScorer's constructor. */
const WARM_UP = 'Please  ignore the prévious\tnote, 42.';
const WARM_UP_PASSES = 24;

/** Scores texts window by window; the calibrated probability of the highest-scoring window, and where it was. */
export class InjectionScorer {
  private readonly features = new TextFeatures();
  private readonly meta: ModelMeta;
  /** The hashed part of the weights with the anchors marked, and the rules' weights (the model itself is not kept). */
  private readonly weights: MarkedWeights;
  private readonly ruleWeights: Float32Array;

  constructor(model: InjectionModel) {
    this.meta = model.meta;
    this.weights = new MarkedWeights(RULE_ANCHORS, model.weights);
    this.ruleWeights = model.weights.slice(HASH_DIM);
    // Passes over a short text that takes every branch scoring takes, so V8 has type feedback for
    // all of `read` before it optimizes it. Otherwise the first long text gets `read` compiled
    // while its loop runs (on-stack replacement), before the code after the loop (or, when V8
    // allocated the feedback vector mid-call, the code before it) ever recorded feedback; that
    // code then deoptimizes and the pass runs unoptimized from then on. V8 allocates the
    // function's feedback vector only after its interrupt budget (8 × its bytecode size) is spent:
    // with Node 20 that takes 9 passes over WARM_UP, and passes before it record nothing. 24 passes
    // leave a margin; they take under 1 ms, once per scorer.
    for (let i = 0; i < WARM_UP_PASSES; i++) this.features.read(WARM_UP, this.weights);
  }

  /** Calibrated P(injection) of the most suspicious window of `text`. */
  score(text: string): number {
    return this.scoreWindows(text).score;
  }

  /**
   * One pass over the text reads every window's n-grams and the rules' anchors; then the anchored
   * rules run on the text and add their weights to the windows they matched in. `lower`: the text
   * lower-cased (also for ASCII text, which the pass could fold itself: toLowerCase returns a flat
   * string, and the pass reads a sliced or concatenated one up to 15 % slower).
   */
  scoreWindows(text: string, lower = text.toLowerCase()): WindowScore {
    if (text.length === 0) return { score: 0, start: 0, end: 0, hits: [], nonAscii: false };
    const f = this.features.read(lower, this.weights);
    const hits: RuleHit[] = [];
    if (f.anchorMask !== 0) matchRules(text, (rule, start, end) => hits.push({ rule, start, end }), f.anchorMask);
    let best = -Infinity;
    let at = 0;
    for (let w = 0; w < f.starts.length; w++) {
      const z = baseMargin(this.meta.bias, f, w) + (hits.length ? ruleMargin(this.ruleWeights, hits, f.starts[w], f.ends[w]) : 0);
      if (z > best) {
        best = z;
        at = w;
      }
    }
    const { a, b } = this.meta.platt;
    return { score: sigmoid(a * best + b), start: f.starts[at], end: Math.min(text.length, f.ends[at]), hits, nonAscii: f.nonAscii };
  }
}
let shipped: InjectionScorer | null = null;
/** The scorer of the model shipped in the repository (loaded once, at the first policy that uses it). */
export function shippedScorer(): InjectionScorer {
  shipped ??= new InjectionScorer(loadModel());
  return shipped;
}
