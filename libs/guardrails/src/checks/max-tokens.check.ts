import type { Check } from '@gatehouse/contracts/policy';
import type { CheckFactory, CheckVerdict, GuardCheck } from '../check';

type MaxTokensConfig = Extract<Check, { type: 'max_tokens' }>;

/** gpt-tokenizer's tables take ~56 MB: loaded only when a max_tokens check meets a text long enough to need it. */
let tokenizer: typeof import('gpt-tokenizer') | null = null;

/** Token count of a text (o200k_base) is at most its UTF-8 byte length, so short texts skip the tokenizer. */
function exceeds(text: string, max: number): boolean {
  if (Buffer.byteLength(text, 'utf8') <= max) return false;
  tokenizer ??= require('gpt-tokenizer') as typeof import('gpt-tokenizer');
  return tokenizer.isWithinTokenLimit(text, max) === false;
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
