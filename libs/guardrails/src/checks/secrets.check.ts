import type { Check } from '@gatehouse/contracts';
import { failWith, type CheckFactory, type GuardCheck, type Span } from '../check';
import { originalRange } from '../scan-normalize';
import { analysisOf, TextAnalysis } from '../text-analysis';
import { AWS_CONTEXT, AWS_CONTEXT_RADIUS, AWS_SECRET, ENTROPY_MIN_TOKEN, PUBLIC_BLOCK, SECRET_RULES, TOKEN_RUNS, highEntropy } from './secret-detectors';

type SecretsConfig = Extract<Check, { type: 'secrets' }>;

/**
 * Credentials: OpenAI, Anthropic, AWS (access key ids, and 40-char secret keys near one or near an
 * "aws"/"secret access" keyword), GitHub, Slack, Google, Stripe live keys, JWTs and PEM private
 * key blocks; then any remaining token of 20+ characters whose Shannon entropy exceeds
 * `entropy_threshold` bits per character (labelled HIGH_ENTROPY). Hex digests (max 4 bits/char)
 * stay below the default threshold of 4.0. The text is scanned normalized (scan-normalize.ts: `sk-pr\u200boj-...`
 * is found) and the spans mapped back to the original characters.
 */
export const createSecretsCheck: CheckFactory<'secrets'> = (config: SecretsConfig): GuardCheck => ({
  config,
  windowed: true,
  evaluate(input) {
    const spans: Span[] = [];
    for (let t = 0; t < input.texts.length; t++) {
      const analysis = analysisOf(input, t);
      const scan = analysis.scan;
      if (scan.from === null) {
        findSecrets(analysis, t, config.entropy_threshold, spans);
        continue;
      }
      const text = input.texts[t];
      const found: Span[] = [];
      findSecrets(analysis.normalized, t, config.entropy_threshold, found);
      for (const f of found) {
        const [start, end] = originalRange(scan, f.start, f.end);
        spans.push({ ...f, start, end, secret: text.slice(start, end) });
      }
    }
    return failWith(spans);
  },
});

/** The secrets in `analysis.text` (its token runs are the entropy test's candidates) as spans of text `t`. */
export function findSecrets(analysis: TextAnalysis, t: number, threshold: number, spans: Span[]): void {
  const text = analysis.text;
  // Characters already claimed by a finding, allocated on the first one. A rule's matches do not
  // overlap each other, so the checks below cost O(text length) per rule in total.
  let covered: Uint8Array | null = null;
  const cover = (start: number, end: number): void => {
    covered ??= new Uint8Array(text.length);
    covered.fill(1, start, end);
  };
  const overlaps = (s: number, e: number): boolean => covered !== null && covered.subarray(s, e).includes(1);
  const add = (start: number, end: number, label: string): void => {
    cover(start, end);
    const value = text.slice(start, end);
    spans.push({ text: t, start, end, label, key: value, secret: value });
  };
  let m: RegExpExecArray | null;
  const pem = text.includes('-----BEGIN');
  const keyRuns = analysis.runs(TOKEN_RUNS).length > 0;
  for (const rule of SECRET_RULES) {
    if ((rule.label === 'PRIVATE_KEY' && !pem) || (rule.inKeyRun && !keyRuns)) continue;
    rule.re.lastIndex = 0;
    while ((m = rule.re.exec(text)) !== null) {
      if (rule.accept && !rule.accept(m[0])) continue;
      if (!overlaps(m.index, m.index + m[0].length)) add(m.index, m.index + m[0].length, rule.label);
    }
  }
  // whether an AWS hint occurs anywhere: asked only for a 40-character value (isAwsSecret needs one), once
  let awsContext: boolean | undefined;
  if (pem) {
    PUBLIC_BLOCK.lastIndex = 0;
    while ((m = PUBLIC_BLOCK.exec(text)) !== null) cover(m.index, m.index + m[0].length);
  }
  analysis.eachRun(TOKEN_RUNS, (start, end) => {
    if (end - start < ENTROPY_MIN_TOKEN || overlaps(start, end)) return;
    const token = text.slice(start, end);
    const eq = token.lastIndexOf('=', token.length - 2);
    const valueStart = start + eq + 1;
    if (end - valueStart === 40 && (awsContext ??= AWS_CONTEXT.test(text)) && isAwsSecret(text, valueStart, token.slice(eq + 1))) add(valueStart, end, 'AWS_SECRET_KEY');
    else if (highEntropy(token, threshold)) add(start, end, 'HIGH_ENTROPY');
  });
}

/** A 40-character base64 token with upper, lower and digits, within AWS_CONTEXT_RADIUS of an AWS hint. */
function isAwsSecret(text: string, start: number, token: string): boolean {
  if (token.length !== 40 || !AWS_SECRET.test(token) || !/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/\d/.test(token)) return false;
  return AWS_CONTEXT.test(text.slice(Math.max(0, start - AWS_CONTEXT_RADIUS), start + 40 + AWS_CONTEXT_RADIUS));
}
