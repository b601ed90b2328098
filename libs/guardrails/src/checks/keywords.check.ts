import type { Check } from '@gatehouse/contracts';
import { failWith, type CheckFactory, type GuardCheck, type Span } from '../check';

type KeywordsConfig = Extract<Check, { type: 'keywords' }>;

/** Escapes the syntax characters only: under the `u` flag an identity escape of anything else (`\-`) is an error. */
const escape = (w: string): string => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\s+/g, '\\s+');

/**
 * Whole words or phrases (letters/digits on either side do not count as a word boundary, in any
 * script), case-insensitive unless `case_sensitive`. One alternation regex, longest words first.
 */
export const createKeywordsCheck: CheckFactory<'keywords'> = (config: KeywordsConfig): GuardCheck => {
  const words = [...new Set(config.words)].sort((a, b) => b.length - a.length);
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.map(escape).join('|')})(?![\\p{L}\\p{N}_])`, config.case_sensitive ? 'gu' : 'giu');
  const label = config.name ?? 'keyword';
  return {
    config,
    windowed: true,
    evaluate(input) {
      const spans: Span[] = [];
      input.texts.forEach((text, t) => {
        re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(text)) !== null) spans.push({ text: t, start: m.index, end: m.index + m[0].length, label, replace: '[REDACTED]' });
      });
      return failWith(spans);
    },
  };
};
