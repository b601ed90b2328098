import type { Check } from '@gatehouse/contracts/policy';
import { failWith, type CheckFactory, type GuardCheck, type Span } from '../check';
import { AWS_CONTEXT, AWS_CONTEXT_RADIUS, AWS_SECRET, ENTROPY_TOKEN, PUBLIC_BLOCK, SECRET_RULES, highEntropy } from './secret-detectors';

type SecretsConfig = Extract<Check, { type: 'secrets' }>;

/**
 * Credentials: OpenAI, Anthropic, AWS (access key ids, and 40-char secret keys near one or near an
 * "aws"/"secret access" keyword), GitHub, Slack, Google, Stripe live keys, JWTs and PEM private
 * key blocks; then any remaining token of 20+ characters whose Shannon entropy exceeds
 * `entropy_threshold` bits per character (labelled HIGH_ENTROPY). Hex digests (max 4 bits/char)
 * stay below the default threshold of 4.0.
 */
export const createSecretsCheck: CheckFactory<'secrets'> = (config: SecretsConfig): GuardCheck => ({
  config,
  windowed: true,
  evaluate(input) {
    const spans: Span[] = [];
    input.texts.forEach((text, t) => findSecrets(text, t, config.entropy_threshold, spans));
    return failWith(spans);
  },
});

export function findSecrets(text: string, t: number, threshold: number, spans: Span[]): void {
  const covered: [number, number][] = [];
  const overlaps = (s: number, e: number): boolean => covered.some(([a, b]) => s < b && e > a);
  const add = (start: number, end: number, label: string): void => {
    covered.push([start, end]);
    spans.push({ text: t, start, end, label, key: text.slice(start, end) });
  };
  let m: RegExpExecArray | null;
  for (const rule of SECRET_RULES) {
    if (rule.label === 'PRIVATE_KEY' && !text.includes('-----BEGIN')) continue;
    rule.re.lastIndex = 0;
    while ((m = rule.re.exec(text)) !== null) {
      if (rule.accept && !rule.accept(m[0])) continue;
      if (!overlaps(m.index, m.index + m[0].length)) add(m.index, m.index + m[0].length, rule.label);
    }
  }
  AWS_SECRET.lastIndex = 0;
  while ((m = AWS_SECRET.exec(text)) !== null) {
    const v = m[0];
    if (!/[A-Z]/.test(v) || !/[a-z]/.test(v) || !/\d/.test(v) || overlaps(m.index, m.index + 40)) continue;
    const around = text.slice(Math.max(0, m.index - AWS_CONTEXT_RADIUS), m.index + 40 + AWS_CONTEXT_RADIUS);
    if (AWS_CONTEXT.test(around)) add(m.index, m.index + 40, 'AWS_SECRET_KEY');
  }
  if (text.includes('-----BEGIN')) {
    PUBLIC_BLOCK.lastIndex = 0;
    while ((m = PUBLIC_BLOCK.exec(text)) !== null) covered.push([m.index, m.index + m[0].length]);
  }
  ENTROPY_TOKEN.lastIndex = 0;
  while ((m = ENTROPY_TOKEN.exec(text)) !== null) {
    const end = m.index + m[0].length;
    if (!overlaps(m.index, end) && highEntropy(m[0], threshold)) add(m.index, end, 'HIGH_ENTROPY');
  }
}
