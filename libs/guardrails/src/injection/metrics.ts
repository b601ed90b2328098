/** Binary classification metrics at a threshold (a row is predicted positive when score ≥ threshold). */
export interface ClassifierMetrics {
  readonly n: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** False positives / benign rows. */
  readonly fpr: number;
  /** Mean of recall and specificity. */
  readonly balanced_accuracy: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function classifierMetrics(rows: readonly { label: boolean; score: number }[], threshold: number): ClassifierMetrics {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const r of rows) {
    const p = r.score >= threshold;
    if (p && r.label) tp++;
    else if (p) fp++;
    else if (r.label) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const specificity = tn + fp === 0 ? 1 : tn / (tn + fp);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { n: rows.length, precision: r3(precision), recall: r3(recall), f1: r3(f1), fpr: r3(1 - specificity), balanced_accuracy: r3((recall + specificity) / 2) };
}
