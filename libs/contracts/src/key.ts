import { z } from 'zod';
import { KeyCacheSchema } from './cache';
import { AlertTargetsSchema } from './alert';
import { defineTopic } from './topic';

/** A virtual key as every ingress replica holds it: only the SHA-256 of the secret, never the secret. */
export const KeyRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  key_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
  /** The first characters of the secret, for display (e.g. "gh-dev-1a2b"). */
  prefix: z.string().nullable().default(null),
  team: z.string().min(1),
  models: z.array(z.string().min(1)).default(['*']),
  rpm: z.number().int().positive().nullable().default(null),
  tpm: z.number().int().positive().nullable().default(null),
  budget_usd: z.number().positive().nullable().default(null),
  budget_period: z.enum(['day', 'month', 'total']).default('month'),
  policies: z.array(z.string()).default([]),
  expires_at: z.number().int().nullable().default(null),
  metadata: z.record(z.string(), z.string()).default({}),
  log_bodies: z.boolean().default(true),
  analytics: z.boolean().default(false),
  /** Response cache opt-in (null: only requests sending `x-gatehouse-cache: true` use the cache). */
  cache: KeyCacheSchema.nullable().default(null),
  /** Where this key's budget thresholds (80 %, 100 %) and deny verdicts are alerted. */
  alerts: AlertTargetsSchema.default([]),
  created_at: z.number().int().nonnegative(),
  revoked_at: z.number().int().nullable().default(null),
  source: z.enum(['config', 'admin']).default('admin'),
});
export type KeyRecord = z.infer<typeof KeyRecordSchema>;

export const KeysTopic = defineTopic('gatehouse.keys.v1', KeyRecordSchema, true);
