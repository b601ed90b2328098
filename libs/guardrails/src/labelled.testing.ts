/** Test support for the labelled tables of the check specs: precision and recall of a detector over rows written by hand. */
export interface Labelled {
  readonly text: string;
  /** What the row contains (an entity or rule name), or null for a negative (near miss). */
  readonly label: string | null;
}

export interface Score {
  readonly precision: number;
  readonly recall: number;
  readonly errors: string[];
}

/**
 * Row-level scoring: a positive row counts as found when `detect` reports its label (or anything,
 * when `anyLabel`); any report on a negative row, or a report of another label, is a false positive.
 */
export function score(name: string, rows: readonly Labelled[], detect: (text: string) => readonly string[], anyLabel = false): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const errors: string[] = [];
  for (const row of rows) {
    const found = detect(row.text);
    if (row.label) {
      if (anyLabel ? found.length > 0 : found.includes(row.label)) tp++;
      else {
        fn++;
        errors.push(`missed ${row.label}: ${JSON.stringify(row.text)} (found ${found.join(',') || 'nothing'})`);
      }
      const other = anyLabel ? [] : found.filter((f) => f !== row.label);
      if (other.length > 0) {
        fp++;
        errors.push(`extra ${other.join(',')}: ${JSON.stringify(row.text)}`);
      }
    } else if (found.length > 0) {
      fp++;
      errors.push(`false positive ${found.join(',')}: ${JSON.stringify(row.text)}`);
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const positives = rows.filter((r) => r.label).length;
  console.log(
    `${name}: ${rows.length} rows (${positives} positive, ${rows.length - positives} negative), precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}` +
      (errors.length ? `\n  ${errors.join('\n  ')}` : ''),
  );
  return { precision, recall, errors };
}
