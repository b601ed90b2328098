import { normalizeForScan, type ScanText } from './scan-normalize';
import { findRuns, isAscii, type RunKind } from './text-scan';

/**
 * What several checks read from one text, computed at most once per text and evaluation, on first
 * use: the character runs of each kind a check asks for (text-scan.ts), whether the text is ASCII,
 * and the text normalized for the detectors (scan-normalize.ts) with its own analysis. The policy
 * evaluator hands one per text to every check (CheckInput.analyses), so the pii, secrets and
 * prompt_injection checks of a policy share these scans instead of each making its own.
 */
export class TextAnalysis {
  private readonly runLists: (number[] | undefined)[] = [];
  private ascii: boolean | undefined;
  private scanned: ScanText | null = null;
  private normalizedAnalysis: TextAnalysis | null = null;

  constructor(readonly text: string) {}

  /** Whether the text holds a character above U+007F. */
  get nonAscii(): boolean {
    this.ascii ??= isAscii(this.text);
    return !this.ascii;
  }

  /** The runs of `kind`: start, end, start, end… in text order. */
  runs(kind: RunKind): readonly number[] {
    return (this.runLists[kind.index] ??= findRuns(this.text, kind));
  }

  /** Calls `onRun(start, end)` for every run of `kind`, in text order. */
  eachRun(kind: RunKind, onRun: (start: number, end: number) => void): void {
    const runs = this.runs(kind);
    for (let r = 0; r < runs.length; r += 2) onRun(runs[r], runs[r + 1]);
  }

  /** The text as the PII and secrets detectors scan it (look-alikes folded, invisible characters removed). */
  get scan(): ScanText {
    this.scanned ??= this.nonAscii ? normalizeForScan(this.text) : { text: this.text, from: null, to: null };
    return this.scanned;
  }

  /** The analysis of `scan.text` (this one when normalizing changed nothing). */
  get normalized(): TextAnalysis {
    this.normalizedAnalysis ??= this.scan.from === null ? this : new TextAnalysis(this.scan.text);
    return this.normalizedAnalysis;
  }
}

/** The shared analysis of `input.texts[t]` (a CheckInput), or a new one when the caller gave none (a check run on its own). */
export const analysisOf = (input: { readonly texts: readonly string[]; readonly analyses?: readonly TextAnalysis[] }, t: number): TextAnalysis =>
  input.analyses?.[t] ?? new TextAnalysis(input.texts[t]);
