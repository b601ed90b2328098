import type { CanonicalRequest } from '@gatehouse/formats';
import { countTokens, inputTexts } from '@gatehouse/providers';
import { TokenCountCache } from './token-count-cache';

/** Tokens reserved against tpm before the call: the input counted with gpt-tokenizer (o200k_base, estimateInputTokens), and the client's max_tokens. */
export interface TokenEstimate {
  input: number;
  output: number;
}

export const NO_TOKENS: TokenEstimate = { input: 0, output: 0 };

/** Texts are counted once while they are among the last 20,000 texts and 2 M characters seen (a few MB). */
const counted = new TokenCountCache(countTokens, { maxChars: 2_000_000, maxTexts: 20_000 });

/**
 * The input counted text by text (each system text, message part and tool definition, through
 * `counted`), plus one token per line break between them: within a few tokens of counting them
 * joined, and the real usage replaces it after the call.
 */
export function estimateInputTokens(req: CanonicalRequest, cache: TokenCountCache = counted): number {
  const texts = inputTexts(req);
  let n = texts.length - 1;
  for (const t of texts) n += cache.tokens(t);
  return Math.max(0, n);
}

export const estimateTokens = (req: CanonicalRequest): TokenEstimate => ({ input: estimateInputTokens(req), output: req.max_tokens ?? 0 });

/** How a request ended, as far as its tokens are concerned (settled against tpm). */
export interface RequestOutcome {
  /** The usage the provider reported (for a stream: the latest values), null when it reported none. */
  usage: { input_tokens: number; output_tokens: number } | null;
  /** False when it failed, its stream was cut, or the client went away before the end. */
  complete: boolean;
  /** Characters of output (text, thinking, tool arguments) the gateway passed on. */
  outputChars: number;
}

/** Characters per token when output is counted without the provider's figure (English text runs at ~4). */
const CHARS_PER_TOKEN = 4;

/**
 * The tokens a request used. Complete: the reported usage, else the reservation. Ended early: the
 * reported input (else the input estimate when output was passed on) plus the larger of the reported
 * output and the output passed on (characters / 4), so a cut stream or a client leaving mid-stream is
 * charged what it got; a failure before any usage or output is charged nothing.
 */
export function tokensUsed(o: RequestOutcome, reserved: TokenEstimate): number {
  if (o.complete) return o.usage ? o.usage.input_tokens + o.usage.output_tokens : reserved.input + reserved.output;
  const used = tokensOfIncomplete(o, reserved);
  return used.input + used.output;
}

/** The input and output tokens a request that ended early is charged (see tokensUsed); priced for its budget when the provider reported no full usage. */
export function tokensOfIncomplete(o: RequestOutcome, reserved: TokenEstimate): TokenEstimate {
  const streamed = Math.ceil(o.outputChars / CHARS_PER_TOKEN);
  return { input: o.usage ? o.usage.input_tokens : streamed > 0 ? reserved.input : 0, output: Math.max(o.usage?.output_tokens ?? 0, streamed) };
}
