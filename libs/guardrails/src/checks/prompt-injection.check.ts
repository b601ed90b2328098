import type { Check } from '@gatehouse/contracts';
import type { CheckFactory, CheckVerdict, GuardCheck, Span } from '../check';
import { shippedScorer, type InjectionScorer } from '../injection/model';
import { analysisOf, TextAnalysis } from '../text-analysis';
import { runKind } from '../text-scan';
import { anyRuleMatches, BIDI_RULE, ENCODED_RULE, INJECTION_RULES, INVISIBLE_RULE, TAG_CHARS_RULE } from './injection-rules';

type InjectionConfig = Extract<Check, { type: 'prompt_injection' }>;

const BASE64_RUNS = runKind(/[A-Za-z0-9+/=]/, 16);
const TAG_CHARS = /(?:\uDB40[\uDC00-\uDC7F])+/;
const ZERO_WIDTH = /[\u200B\u200C\u2060\u180E\u00AD]/;
const ZERO_WIDTH_IN_WORD = /[\p{L}\p{N}][\u200B\u200C\u2060\u180E\u00AD]+[\p{L}\p{N}]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const PRINTABLE = /^[\x20-\x7E\t\r\n]+$/;
const MAX_DECODED_RUNS = 32;

interface Hit {
  id: string;
  start: number;
  end: number;
}

/** Rules precise enough to count on their own (weight ≥ 0.8): a short injected sentence in a long document dilutes the classifier's window. */
const STRONG_RULE = 0.8;

/**
 * The second signal (with the strong rules): obfuscation the classifier's n-grams cannot see (a base64 run that decodes to
 * an instruction, Unicode tag characters, zero-width characters inside words, bidi controls).
 * Noisy-OR of the distinct signals' weights.
 */
function structuralScore(analysis: TextAnalysis, nonAscii: boolean, hits: Hit[]): number {
  const text = analysis.text;
  let keep = 1;
  const add = (rule: { id: string; weight: number }, start: number, end: number) => {
    if (!hits.some((h) => h.id === rule.id)) keep *= 1 - rule.weight;
    hits.push({ id: rule.id, start, end });
  };
  let runs = 0;
  analysis.eachRun(BASE64_RUNS, (start, end) => {
    if (runs++ >= MAX_DECODED_RUNS) return;
    // a long run whose first 48 bytes decode to something unprintable is not text: skip decoding the rest
    if (end - start > 64) {
      const head = text.slice(start, start + 64);
      if (!head.includes('=') && !PRINTABLE.test(Buffer.from(head, 'base64').toString('latin1'))) return;
    }
    const decoded = Buffer.from(text.slice(start, end), 'base64').toString('latin1');
    if (!PRINTABLE.test(decoded) || !/\s/.test(decoded)) return;
    if (anyRuleMatches(decoded)) add(ENCODED_RULE, start, end);
  });
  if (!nonAscii) return 1 - keep;
  const tags = TAG_CHARS.exec(text);
  if (tags) add(TAG_CHARS_RULE, tags.index, tags.index + tags[0].length);
  const zw = ZERO_WIDTH.test(text) ? ZERO_WIDTH_IN_WORD.exec(text) : null;
  if (zw) add(INVISIBLE_RULE, zw.index + 1, zw.index + zw[0].length - 1);
  const bidi = BIDI.exec(text);
  if (bidi) add(BIDI_RULE, bidi.index, bidi.index + 1);
  return 1 - keep;
}

export interface TextScore {
  /** max(classifier probability, structural signal, strong rules), in [0, 1]. */
  readonly score: number;
  readonly classifier: number;
  readonly hits: readonly Hit[];
  /** The window the classifier scored highest. */
  readonly window: { readonly start: number; readonly end: number };
}

/** Scores one text: the trained classifier (text rules among its features) and the second signal. */
export function scoreText(text: string, scorer: InjectionScorer = shippedScorer(), analysis = new TextAnalysis(text)): TextScore {
  const model = scorer.scoreWindows(text);
  const hits: Hit[] = [];
  let keep = 1;
  for (const h of model.hits) {
    const { id, weight } = INJECTION_RULES[h.rule];
    hits.push({ id, start: h.start, end: h.end });
    if (weight >= STRONG_RULE) keep *= 1 - weight;
  }
  const structural = structuralScore(analysis, model.nonAscii, hits);
  const score = Math.round(Math.max(model.score, structural, 1 - keep) * 1000) / 1000;
  return { score, classifier: model.score, hits, window: { start: model.start, end: model.end } };
}

/**
 * Prompt injection: a logistic-regression classifier over hashed character and word n-grams with
 * the rules of injection-rules.ts as features (model card: docs/prompt-injection-model.md), plus
 * a second signal: the strong rules (weight ≥ 0.8) and structural obfuscation (encoded
 * instructions, tag characters, invisible and bidi characters). Every text of the stage is scored on its own (system, messages,
 * tool results); the check fails when the highest score reaches `threshold`. Details name the
 * rules that fired in the failing texts and `in:<where>` for each failing text (`in:messages[3].tool_result(call_1)`
 * through the gateway, `in:text[i]` without labels); spans cover the fired rules' phrases, or the scored window
 * when no rule fired, so `redact` masks the injected part.
 */
export const createPromptInjectionCheck: CheckFactory<'prompt_injection'> = (config: InjectionConfig): GuardCheck => {
  const scorer = shippedScorer();
  return {
    config,
    windowed: true,
    evaluate(input): CheckVerdict {
      let best = 0;
      const spans: Span[] = [];
      const details = new Set<string>();
      input.texts.forEach((text, t) => {
        const s = scoreText(text, scorer, analysisOf(input, t));
        if (s.score > best) best = s.score;
        if (s.score < config.threshold) return;
        details.add(`in:${input.labelOf?.(t) ?? `text[${t}]`}`);
        if (s.classifier >= config.threshold) details.add('classifier');
        for (const h of s.hits) {
          details.add(h.id);
          spans.push({ text: t, start: h.start, end: h.end, label: h.id, replace: '[REDACTED]' });
        }
        if (s.hits.length === 0) spans.push({ text: t, start: s.window.start, end: s.window.end, label: 'classifier', replace: '[REDACTED]' });
      });
      const pass = best < config.threshold;
      return { pass, score: best, spans: pass ? [] : spans, details: pass ? [] : [...details].sort() };
    },
  };
};
