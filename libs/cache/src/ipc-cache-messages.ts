import { z } from 'zod';

/** A cache entry travelling between standalone processes (tagged gh_cache): worker → primary, then primary → every other worker. */
export const CacheEntryMessage = z.object({
  gh_cache: z.literal('put'),
  key: z.string(),
  value: z.string(),
  /** Epoch ms: every replica expires the entry at the same moment. */
  expires_at: z.number().int(),
});
export type CacheEntryMessage = z.infer<typeof CacheEntryMessage>;

export const isCacheMessage = (raw: unknown): raw is { gh_cache: unknown } => typeof raw === 'object' && raw !== null && 'gh_cache' in raw;
