import type { CanonicalRequest } from '@gatehouse/formats';
import { countInputTokens } from '@gatehouse/providers';

/** Tokens reserved against tpm before the call: the input counted with gpt-tokenizer (o200k_base) plus the client's max_tokens. */
export const estimateTokens = (req: CanonicalRequest): number => countInputTokens(req) + (req.max_tokens ?? 0);
