import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Example } from './train';

/**
 * The training data: `injection-train.jsonl` (one `{text, label, source}` a line; default
 * `../shared/guardrail-data/` beside the repository, or $GUARDRAIL_DATA), minus every source of the held-out evaluation sets, split into train
 * and dev by a hash of the text (1 in DEV_FOLDS rows is dev), deterministic.
 */
export const DEFAULT_DATA = process.env.GUARDRAIL_DATA ?? join(process.cwd(), '../shared/guardrail-data/injection-train.jsonl');
export const DEV_FOLDS = 5;

/** Sources never trained or tuned on: they belong to the held-out evaluation (deepset, Gandalf/Mosscap, JailbreakBench, NotInject, InjecGuard, WildGuard). */
export const HELD_OUT_SOURCE = /deepset|gandalf|mosscap|lakera|jailbreakbench|jbb|notinject|injecguard|wildguard/i;

export interface Dataset {
  readonly path: string;
  readonly sha256: string;
  readonly train: Example[];
  readonly dev: Example[];
  /** Rows dropped because their source is held out, by source. */
  readonly heldOut: Record<string, number>;
  readonly duplicates: number;
}

export const isDev = (text: string): boolean => createHash('sha256').update(`dev:${text}`).digest().readUInt32BE(0) % DEV_FOLDS === 0;

export function loadDataset(path = DEFAULT_DATA): Dataset {
  const raw = readFileSync(path);
  const heldOut: Record<string, number> = {};
  const seen = new Set<string>();
  const train: Example[] = [];
  const dev: Example[] = [];
  let duplicates = 0;
  raw.toString('utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const row = JSON.parse(line) as Partial<Example>;
    if (typeof row.text !== 'string' || (row.label !== 'injection' && row.label !== 'benign') || typeof row.source !== 'string') {
      throw new Error(`${path}:${i + 1}: expected {text, label: injection|benign, source}`);
    }
    if (HELD_OUT_SOURCE.test(row.source)) {
      heldOut[row.source] = (heldOut[row.source] ?? 0) + 1;
      return;
    }
    const key = row.text.trim().toLowerCase().replace(/\s+/g, ' ');
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    (isDev(key) ? dev : train).push({ text: row.text, label: row.label, source: row.source });
  });
  return { path, sha256: createHash('sha256').update(raw).digest('hex'), train, dev, heldOut, duplicates };
}
