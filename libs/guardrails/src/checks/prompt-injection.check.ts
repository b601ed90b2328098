import type { Check } from '@gatehouse/contracts/policy';
import type { CheckFactory, CheckVerdict, GuardCheck, Span } from '../check';
import { charTable, scanRuns } from '../text-scan';
import { BIDI_RULE, ENCODED_RULE, INJECTION_RULES, INVISIBLE_RULE, TAG_CHARS_RULE } from './injection-rules';

type InjectionConfig = Extract<Check, { type: 'prompt_injection' }>;

const BASE64_CHARS = charTable(/[A-Za-z0-9+/=]/);
const TAG_CHARS = /(?:\uDB40[\uDC00-\uDC7F])+/;
const ZERO_WIDTH = /[\u200B\u200C\u2060\u180E\u00AD]/;
const ZERO_WIDTH_IN_WORD = /[\p{L}\p{N}][\u200B\u200C\u2060\u180E\u00AD]+[\p{L}\p{N}]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const PRINTABLE = /^[\x20-\x7E\t\r\n]+$/;
const MAX_DECODED_RUNS = 32;

interface Hit {
  id: string;
  weight: number;
  text: number;
  start: number;
  end: number;
}

function ruleHits(text: string, t: number, hits: Hit[]): void {
  for (const rule of INJECTION_RULES) {
    const m = rule.re.exec(text);
    if (m) hits.push({ id: rule.id, weight: rule.weight, text: t, start: m.index, end: m.index + m[0].length });
  }
}

/** Scores one text; matched rules become spans so `redact` masks the injected phrase. */
export function scoreInjection(texts: readonly string[]): { score: number; hits: Hit[] } {
  const hits: Hit[] = [];
  texts.forEach((text, t) => {
    ruleHits(text, t, hits);
    let runs = 0;
    scanRuns(text, BASE64_CHARS, 16, (start, end) => {
      if (runs++ >= MAX_DECODED_RUNS) return;
      const decoded = Buffer.from(text.slice(start, end), 'base64').toString('latin1');
      if (!PRINTABLE.test(decoded) || !/\s/.test(decoded)) return;
      const inner: Hit[] = [];
      ruleHits(decoded, t, inner);
      if (inner.length > 0) hits.push({ ...ENCODED_RULE, text: t, start, end });
    });
    const tags = TAG_CHARS.exec(text);
    if (tags) hits.push({ ...TAG_CHARS_RULE, text: t, start: tags.index, end: tags.index + tags[0].length });
    const zw = ZERO_WIDTH.test(text) ? ZERO_WIDTH_IN_WORD.exec(text) : null;
    if (zw) hits.push({ ...INVISIBLE_RULE, text: t, start: zw.index + 1, end: zw.index + zw[0].length - 1 });
    const bidi = BIDI.exec(text);
    if (bidi) hits.push({ ...BIDI_RULE, text: t, start: bidi.index, end: bidi.index + 1 });
  });
  const seen = new Set<string>();
  let keep = 1;
  for (const h of hits) {
    if (seen.has(h.id)) continue;
    seen.add(h.id);
    keep *= 1 - h.weight;
  }
  return { score: Math.round((1 - keep) * 1000) / 1000, hits };
}

/**
 * A scored prompt-injection detector (rules in injection-rules.ts, coverage in prompt-injection.md).
 * Fails when the score reaches `threshold`.
 */
export const createPromptInjectionCheck: CheckFactory<'prompt_injection'> = (config: InjectionConfig): GuardCheck => ({
  config,
  windowed: true,
  evaluate(input): CheckVerdict {
    const { score, hits } = scoreInjection(input.texts);
    const pass = score < config.threshold;
    const spans: Span[] = pass ? [] : hits.map((h) => ({ text: h.text, start: h.start, end: h.end, label: h.id, replace: '[REDACTED]' }));
    return { pass, score, spans, details: pass ? [] : [...new Set(hits.map((h) => h.id))].sort() };
  },
});
