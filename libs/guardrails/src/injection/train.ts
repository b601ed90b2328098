import { createHash } from 'node:crypto';
import { matchRules } from '../checks/injection-rules';
import { FEATURE_DIM, HASH_BITS, HASH_DIM, RULE_IDS, ruleAnchorsOnly, TextFeatures } from './features';
import { sigmoid, type InjectionModel, type ModelMeta } from './model';

/** One labelled text; `source` names the data set it came from (or `generated:<kind>`). */
export interface Example {
  readonly text: string;
  readonly label: 'injection' | 'benign';
  readonly source: string;
}

/** A window's features: bucket/rule indices and values (duplicates merged). */
export interface SparseVector {
  readonly idx: Int32Array;
  readonly val: Float64Array;
}

export interface TrainOptions {
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty per example update. */
  readonly l2: number;
  readonly seed: number;
  /** Folds for the out-of-fold margins that fit the Platt calibration. */
  readonly calibrationFolds: number;
  /** Most windows taken from one benign text (every window of a benign text is benign). */
  readonly maxBenignWindows: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 12, learningRate: 0.2, l2: 1e-6, seed: 20261130, calibrationFolds: 4, maxBenignWindows: 6 };

/** The hashed features of every window of `text` (a Map per window: training only, not the hot path). */
export function windowVectors(text: string): SparseVector[] {
  const lower = text.toLowerCase();
  const f = new TextFeatures().read(lower, ruleAnchorsOnly(), true);
  const hits: { rule: number; start: number }[] = [];
  matchRules(text, (rule, start) => hits.push({ rule, start }), f.anchorMask);
  return f.starts.map((s, w) => {
    const end = f.ends[w];
    const merged = new Map<number, number>();
    const nChars = f.nChars(w);
    const nWords = f.nWords(w);
    for (let i = f.charFrom(w); i < f.charFrom(w) + nChars; i++) merged.set(f.chars[i], (merged.get(f.chars[i]) ?? 0) + 1 / Math.sqrt(nChars));
    for (let i = f.wordFrom(w); i < f.wordFrom(w) + nWords; i++) merged.set(f.words[i], (merged.get(f.words[i]) ?? 0) + 1 / Math.sqrt(nWords));
    for (const h of hits) if (h.start >= s && h.start < end) merged.set(HASH_DIM + h.rule, 1);
    const idx = Int32Array.from(merged.keys());
    return { idx, val: Float64Array.from(idx, (i) => merged.get(i)!) };
  });
}

/** The training windows of an example: every benign window (up to a cap), an attack's first and last window. */
export function trainingWindows(e: Example, maxBenignWindows: number): SparseVector[] {
  const all = windowVectors(e.text);
  if (e.label === 'benign') return all.slice(0, maxBenignWindows);
  return all.length === 1 ? all : [all[0], all[all.length - 1]];
}

/** mulberry32: a small seeded PRNG, so shuffles (and therefore weights) are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  readonly x: SparseVector;
  readonly y: number;
  readonly weight: number;
}

/** L2-regularised logistic regression by AdaGrad SGD over a seeded shuffle; classes weighted to balance. */
function fit(rows: readonly Row[], o: TrainOptions): { w: Float64Array; bias: number } {
  const w = new Float64Array(FEATURE_DIM);
  const g2 = new Float64Array(FEATURE_DIM).fill(1e-8);
  let bias = 0;
  let g2b = 1e-8;
  const order = rows.map((_, i) => i);
  const rand = prng(o.seed);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const r of order) {
      const { x, y, weight } = rows[r];
      let z = bias;
      for (let k = 0; k < x.idx.length; k++) z += w[x.idx[k]] * x.val[k];
      const err = (sigmoid(z) - y) * weight;
      for (let k = 0; k < x.idx.length; k++) {
        const f = x.idx[k];
        const g = err * x.val[k] + o.l2 * w[f];
        g2[f] += g * g;
        w[f] -= (o.learningRate * g) / Math.sqrt(g2[f]);
      }
      g2b += err * err;
      bias -= (o.learningRate * err) / Math.sqrt(g2b);
    }
  }
  return { w, bias };
}

const margin = (w: Float64Array, bias: number, x: SparseVector): number => {
  let z = bias;
  for (let k = 0; k < x.idx.length; k++) z += w[x.idx[k]] * x.val[k];
  return z;
};

/** Fits p = σ(a·z + b) to (margin, label) pairs by Newton's method on the log loss (Platt's targets). */
export function fitPlatt(z: readonly number[], y: readonly number[]): { a: number; b: number } {
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < z.length; i++) {
      const t = y[i] === 1 ? hi : lo;
      const p = sigmoid(a * z[i] + b);
      const d = p - t;
      const s = Math.max(p * (1 - p), 1e-12);
      ga += d * z[i];
      gb += d;
      haa += s * z[i] * z[i];
      hab += s * z[i];
      hbb += s;
    }
    haa += 1e-9;
    hbb += 1e-9;
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

function rowsOf(examples: readonly Example[], o: TrainOptions): Row[] {
  const pos = examples.filter((e) => e.label === 'injection').length;
  const neg = examples.length - pos;
  const rows: Row[] = [];
  for (const e of examples) {
    const y = e.label === 'injection' ? 1 : 0;
    const xs = trainingWindows(e, o.maxBenignWindows);
    const classWeight = examples.length / (2 * (y ? pos : neg));
    for (const x of xs) rows.push({ x, y, weight: classWeight / xs.length });
  }
  return rows;
}

/** The highest window margin of a text under (w, bias), as the inline scorer computes it. */
export function textMargin(w: Float64Array, bias: number, text: string): number {
  return Math.max(...windowVectors(text).map((x) => margin(w, bias, x)));
}

/**
 * Trains the classifier: out-of-fold margins (calibrationFolds, split by a hash of the text) fit
 * the Platt calibration, then one model on all examples. Deterministic for the same examples,
 * options and code.
 */
export function trainModel(examples: readonly Example[], o: TrainOptions = DEFAULT_TRAIN_OPTIONS, trained: Record<string, unknown> = {}): InjectionModel {
  const fold = (e: Example): number => createHash('sha256').update(e.text).digest().readUInt32BE(0) % o.calibrationFolds;
  const z: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < o.calibrationFolds; k++) {
    const { w, bias } = fit(rowsOf(examples.filter((e) => fold(e) !== k), o), o);
    for (const e of examples) {
      if (fold(e) !== k) continue;
      z.push(textMargin(w, bias, e.text));
      y.push(e.label === 'injection' ? 1 : 0);
    }
  }
  const platt = fitPlatt(z, y);
  const { w, bias } = fit(rowsOf(examples, o), o);
  const meta: ModelMeta = { version: 1, hash_bits: HASH_BITS, rule_ids: RULE_IDS, bias, platt, trained };
  return { meta, weights: Float32Array.from(w) };
}

/** The model as files: model.json (metadata) and weights.bin (little-endian float32). */
export function serializeModel(model: InjectionModel): { json: string; bin: Buffer } {
  const bin = Buffer.alloc(model.weights.length * 4);
  model.weights.forEach((v, i) => bin.writeFloatLE(v, i * 4));
  return { json: JSON.stringify(model.meta, null, 2) + '\n', bin };
}
