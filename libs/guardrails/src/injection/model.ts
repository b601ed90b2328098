import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_DIM, HASH_BITS, RULE_IDS, visitWindow, windowEnd, windowStarts, type FeatureVisitor } from './features';

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

/** Sums weights of visited buckets; one instance per scorer, reset per window (no allocation per window). */
class Accumulator implements FeatureVisitor {
  charSum = 0;
  wordSum = 0;
  constructor(private readonly w: Float32Array) {}
  char(b: number): void {
    this.charSum += this.w[b];
  }
  word(b: number): void {
    this.wordSum += this.w[b];
  }
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The raw margin of one window: bias + Σ char / √n + Σ word / √n + rule weights. */
export function windowMargin(model: InjectionModel, acc: { charSum: number; wordSum: number } & FeatureVisitor, lower: string, start: number, end: number, hits: readonly RuleHit[]): number {
  acc.charSum = 0;
  acc.wordSum = 0;
  const n = visitWindow(lower, start, end, acc);
  let z = model.meta.bias;
  if (n.chars > 0) z += acc.charSum / Math.sqrt(n.chars);
  if (n.words > 0) z += acc.wordSum / Math.sqrt(n.words);
  let seen = 0;
  for (const h of hits) {
    if (h.start < start || h.start >= end || seen & (1 << h.rule)) continue;
    seen |= 1 << h.rule;
    z += model.weights[model.weights.length - RULE_IDS.length + h.rule];
  }
  return z;
}

/** Scores texts window by window; the calibrated probability of the highest-scoring window, and where it was. */
export class InjectionScorer {
  private readonly acc: Accumulator;

  constructor(readonly model: InjectionModel) {
    this.acc = new Accumulator(model.weights);
  }

  /** Calibrated P(injection) of the most suspicious window of `text`. */
  score(text: string, hits: readonly RuleHit[]): number {
    return this.scoreWindows(text, hits).score;
  }

  /** The most suspicious window of `text`: its calibrated P(injection) and its range. */
  scoreWindows(text: string, hits: readonly RuleHit[]): { score: number; start: number; end: number } {
    if (text.length === 0) return { score: 0, start: 0, end: 0 };
    const lower = text.toLowerCase();
    let best = -Infinity;
    let at = 0;
    for (const s of windowStarts(lower.length)) {
      const z = windowMargin(this.model, this.acc, lower, s, windowEnd(s, lower.length), hits);
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
