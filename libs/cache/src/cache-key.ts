import { hash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { ClientFormat } from '@gatehouse/contracts';
import type { CanonicalRequest } from '@gatehouse/formats';

export interface CacheKeyInput {
  team: string;
  /** The caller's format and whether its stream reports usage: a hit replays the bytes that format got. */
  format: ClientFormat;
  includeUsage: boolean;
  /** The request after input guardrails (a redaction changes the key). */
  request: CanonicalRequest;
}

export const CACHE_KEY_PREFIX = 'gatehouse:cache:v1:';

/**
 * SHA-256 of a stable serialisation (object keys sorted) of the team, the caller's format and the
 * canonical request: model alias, system, messages, tools, tool_choice, response_format, sampling
 * parameters and the stream flag. Left out: `user` (OpenAI `user`, Anthropic `metadata.user_id`),
 * like the x-gatehouse-metadata tags, request ids and traceparent, which never reach the hash.
 */
export function cacheKey(input: CacheKeyInput): string {
  const { user: _user, ...request } = input.request;
  const text = stringify([input.team, input.format, input.includeUsage, request]);
  // crypto.hash: one call, no Hash object (as the key digest, libs/keys/src/key-hash.ts)
  return CACHE_KEY_PREFIX + hash('sha256', text, 'hex');
}
