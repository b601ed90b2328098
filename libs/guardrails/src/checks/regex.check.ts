import type { Check } from '@gatehouse/contracts';
import { failWith, type CheckFactory, type GuardCheck, type Span } from '../check';
import { compileUserRegex, matchUserRegex } from '../user-regex';

type RegexConfig = Extract<Check, { type: 'regex' }>;

/** A user pattern (with an optional `(?i)`-style prefix; see user-regex.ts for the backtracking guards). Redacts to `[REDACTED]`. */
export const createRegexCheck: CheckFactory<'regex'> = (config: RegexConfig): GuardCheck => {
  const re = compileUserRegex(config.pattern, 'pattern');
  const label = config.name ?? 'regex';
  return {
    config,
    windowed: true,
    evaluate(input) {
      const spans: Span[] = [];
      input.texts.forEach((text, t) => matchUserRegex(re, text, (start, end) => spans.push({ text: t, start, end, label, replace: '[REDACTED]' })));
      return failWith(spans);
    },
  };
};
