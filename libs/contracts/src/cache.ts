import { z } from 'zod';

/** The longest a cached response may live (7 days): a key's or the config's `ttl_s` above it is rejected naming the field. */
export const MAX_CACHE_TTL_S = 7 * 24 * 3600;

/** A key's response cache opt-in: identical requests of its team are answered from the cache for `ttl_s` seconds. */
export const KeyCacheSchema = z.object({
  ttl_s: z.number().int().positive().max(MAX_CACHE_TTL_S, { error: `must be at most ${MAX_CACHE_TTL_S} (7 days)` }),
}).strict();
export type KeyCache = z.infer<typeof KeyCacheSchema>;

/** x-gatehouse-cache on every /v1 response and `cache_status` on its trace: HIT (replayed), MISS (looked up, not found), BYPASS (not consulted). */
export const CacheStatusSchema = z.enum(['HIT', 'MISS', 'BYPASS']);
export type CacheStatus = z.infer<typeof CacheStatusSchema>;
