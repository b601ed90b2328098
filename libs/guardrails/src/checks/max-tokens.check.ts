import type { Check } from '@gatehouse/contracts';
import type { CheckFactory, CheckVerdict, GuardCheck } from '../check';

type MaxTokensConfig = Extract<Check, { type: 'max_tokens' }>;

/** gpt-tokenizer's tables take ~56 MB: loaded only when a max_tokens check meets a text long enough to need it. */
let tokenizer: typeof import('gpt-tokenizer') | null = null;

/** Special-token spellings in a client's text (`<|im_start|>`) are counted as the plain text they are, not refused. */
const TEXT_ONLY = { disallowedSpecial: new Set<string>() };

/**
 * BPE cost grows faster than linearly with the length of one pre-tokenized chunk (a 1 MB run
 * without spaces took seconds), so the text is counted in pieces of at most PIECE characters, cut
 * before a whitespace when there is one (where o200k's pre-tokenizer splits anyway, so the count is
 * exact) and otherwise hard (one extra token at most per cut, counting on the safe side).
 */
const PIECE = 2048;

/** Token count of a text (o200k_base) is at most its UTF-8 byte length, so short texts skip the tokenizer. */
function exceeds(text: string, max: number): boolean {
  if (Buffer.byteLength(text, 'utf8') <= max) return false;
  tokenizer ??= require('gpt-tokenizer') as typeof import('gpt-tokenizer');
  let left = max;
  for (let start = 0; start < text.length; ) {
    const end = pieceEnd(text, start);
    const counted = tokenizer.isWithinTokenLimit(text.slice(start, end), left, TEXT_ONLY);
    if (counted === false) return true;
    left -= counted;
    start = end;
  }
  return false;
}

function pieceEnd(text: string, start: number): number {
  const limit = start + PIECE;
  if (limit >= text.length) return text.length;
  for (let i = limit; i > start + PIECE / 2; i--) if (/\s/.test(text[i])) return i;
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/**
 * Input stage: fails when the input texts together exceed `max` tokens (gpt-tokenizer, o200k_base,
 * stopping as soon as the limit is passed) or when the client asked for more than `max`
 * completion tokens. Output stage: fails when the answer exceeds `max` tokens.
 */
export const createMaxTokensCheck: CheckFactory<'max_tokens'> = (config: MaxTokensConfig): GuardCheck => ({
  config,
  windowed: false,
  evaluate(input, ctx): CheckVerdict {
    const details: string[] = [];
    if (exceeds(input.texts.join('\n'), config.max)) details.push(input.stage === 'input' ? 'input_tokens' : 'output_tokens');
    if (input.stage === 'input' && ctx.maxTokens !== undefined && ctx.maxTokens > config.max) details.push('requested_max_tokens');
    return { pass: details.length === 0, score: null, spans: [], details };
  },
});
