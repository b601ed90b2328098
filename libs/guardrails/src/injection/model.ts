import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_DIM, HASH_BITS, HASH_DIM, RULE_IDS, WindowFeatures, windowEnd, windowStarts } from './features';

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

/** A rule hit the scorer may use as a feature: the rule's index in RULE_IDS and where it matched. */
export interface RuleHit {
  readonly rule: number;
  readonly start: number;
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

/** The raw margin of one window: bias + Σ char weights / √n + Σ word weights / √n + rule weights. */
export function windowMargin(model: InjectionModel, f: WindowFeatures, lower: string, start: number, end: number, hits: readonly RuleHit[]): number {
  f.read(lower, start, end);
  const w = model.weights;
  let chars = 0;
  for (let i = 0; i < f.nChars; i++) chars += w[f.chars[i]];
  let words = 0;
  for (let i = 0; i < f.nWords; i++) words += w[f.words[i]];
  let z = model.meta.bias;
  if (f.nChars > 0) z += chars / Math.sqrt(f.nChars);
  if (f.nWords > 0) z += words / Math.sqrt(f.nWords);
  let seen = 0;
  for (const h of hits) {
    if (h.start < start || h.start >= end || seen & (1 << h.rule)) continue;
    seen |= 1 << h.rule;
    z += w[HASH_DIM + h.rule];
  }
  return z;
}

/** Scores texts window by window; the calibrated probability of the highest-scoring window, and where it was. */
export class InjectionScorer {
  private readonly features = new WindowFeatures();

  constructor(readonly model: InjectionModel) {}

  /** Calibrated P(injection) of the most suspicious window of `text`. */
  score(text: string, hits: readonly RuleHit[]): number {
    return this.scoreWindows(text, hits).score;
  }

  /** The most suspicious window of `text` (`lower`: the text lower-cased): its calibrated P(injection) and its range. */
  scoreWindows(text: string, hits: readonly RuleHit[], lower = text.toLowerCase()): { score: number; start: number; end: number } {
    if (text.length === 0) return { score: 0, start: 0, end: 0 };
    let best = -Infinity;
    let at = 0;
    for (const s of windowStarts(lower.length)) {
      const z = windowMargin(this.model, this.features, lower, s, windowEnd(s, lower.length), hits);
      if (z > best) {
        best = z;
        at = s;
      }
    }
    const { a, b } = this.model.meta.platt;
    return { score: sigmoid(a * best + b), start: at, end: Math.min(text.length, windowEnd(at, lower.length)) };
  }
}

let shipped: InjectionScorer | null = null;
/** The scorer of the model shipped in the repository (loaded once, at the first policy that uses it). */
export function shippedScorer(): InjectionScorer {
  shipped ??= new InjectionScorer(loadModel());
  return shipped;
}
