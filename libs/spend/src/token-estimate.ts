import type { CanonicalRequest } from '@gatehouse/formats';
import { countInputTokens } from '@gatehouse/providers';

/** Tokens reserved against tpm before the call: the input counted with gpt-tokenizer (o200k_base), and the client's max_tokens. */
export interface TokenEstimate {
  input: number;
  output: number;
}

export const NO_TOKENS: TokenEstimate = { input: 0, output: 0 };

export const estimateTokens = (req: CanonicalRequest): TokenEstimate => ({ input: countInputTokens(req), output: req.max_tokens ?? 0 });

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
