import type { Check } from '@gatehouse/contracts';
import { failWith, type CheckFactory, type GuardCheck, type Span } from '../check';

type InvisibleConfig = Extract<Check, { type: 'invisible_text' }>;

/**
 * Characters a reader cannot see: zero-width (U+200B/C, U+2060-2064, U+180E, soft hyphen U+00AD,
 * U+FEFF except a leading BOM), zero-width joiner U+200D unless it joins emoji, bidi controls
 * (U+200E/F, U+202A-202E, U+2066-2069) and Unicode tag characters (U+E0000-E007F, used to smuggle
 * ASCII). Redaction removes them.
 */
const INVISIBLE = /[\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u180E\u00AD]+|\u200D|[\u{E0000}-\u{E007F}]+/gu;
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;

const labelOf = (ch: number): string =>
  ch >= 0xe0000 ? 'tag_characters' : (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069) || ch === 0x200e || ch === 0x200f ? 'bidi_control' : 'zero_width';

export const createInvisibleTextCheck: CheckFactory<'invisible_text'> = (config: InvisibleConfig): GuardCheck => ({
  config,
  windowed: true,
  evaluate(input) {
    const spans: Span[] = [];
    input.texts.forEach((text, t) => {
      INVISIBLE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = INVISIBLE.exec(text)) !== null) {
        const start = m.index;
        const end = start + m[0].length;
        if (m[0] === '\uFEFF' && start === 0) continue;
        if (m[0] === '\u200D' && (EMOJI.test(text.slice(Math.max(0, start - 2), start)) || EMOJI.test(text.slice(end, end + 2)))) continue;
        spans.push({ text: t, start, end, label: labelOf(m[0].codePointAt(0)!), replace: '' });
      }
    });
    return failWith(spans);
  },
});
