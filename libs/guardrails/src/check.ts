import type { Check, CheckType, Stage } from '@gatehouse/contracts';
import type { TextAnalysis } from './text-analysis';

/** What a check looks at: the texts of one stage (messages of the request, or the answer's choices). */
export interface CheckInput {
  readonly stage: Stage;
  readonly texts: readonly string[];
  /** Where text i came from (`system`, `messages[2]`, `messages[3].tool_result(call_1)`), for verdict details; absent: `text[i]`. */
  readonly labelOf?: (text: number) => string;
  /** One analysis per text, shared by the checks of one evaluation (text-analysis.ts); absent: a check analyses the text itself (analysisOf). */
  readonly analyses?: readonly TextAnalysis[];
}

/** Request facts a check may use. Never contains secrets. */
export interface CheckContext {
  readonly requestId: string;
  readonly team: string | null;
  readonly keyId: string | null;
  readonly model: string;
  /** The max_tokens the client requested, when it did. */
  readonly maxTokens?: number;
}

/**
 * A matched region of `texts[text]`. `label` names what matched (entity or rule), never the text.
 * `replace` is the fixed replacement when redacted; when absent the evaluator assigns a typed
 * placeholder `[LABEL_n]`, the same one for the same `key` within a request.
 */
export interface Span {
  readonly text: number;
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly replace?: string;
  readonly key?: string;
  /** The original matched text when it is a credential (secrets check): callers mask it in whatever they store or log, whatever the action. */
  readonly secret?: string;
}

/** A planned replacement: the region `[start, end)` of `texts[text]` becomes `replacement`. */
export interface Redaction {
  readonly text: number;
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

export interface CheckVerdict {
  readonly pass: boolean;
  /** 0..1 where the check scores (prompt_injection, webhook); null otherwise. */
  readonly score: number | null;
  readonly spans: readonly Span[];
  /** What matched (entity types, rule ids, schema errors), never the matched text. */
  readonly details: readonly string[];
}

export type MaybePromise<T> = T | Promise<T>;

/** A compiled check. `evaluate` is synchronous for every type except webhook. */
export interface GuardCheck<C extends Check = Check> {
  readonly config: C;
  /** True when the check can judge a window of a stream (it reports spans); false when it needs the whole text. */
  readonly windowed: boolean;
  evaluate(input: CheckInput, ctx: CheckContext): MaybePromise<CheckVerdict>;
}

export type CheckFactory<T extends CheckType = CheckType> = (config: Extract<Check, { type: T }>) => GuardCheck;

export function failWith(spans: readonly Span[], score: number | null = null): CheckVerdict {
  const details = [...new Set(spans.map((s) => s.label.toLowerCase()))].sort();
  return { pass: spans.length === 0, score, spans, details };
}

/** Raised while compiling a policy; `path` names the field (e.g. `checks[2].pattern`). */
export class PolicyCompileError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'PolicyCompileError';
  }
}
