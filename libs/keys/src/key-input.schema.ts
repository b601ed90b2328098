import { z } from 'zod';
import { AlertTargetsSchema, KeyCacheSchema } from '@gatehouse/contracts';

const fields = {
  name: z.string().min(1).max(128),
  team: z.string().min(1).max(128),
  models: z.array(z.string().min(1)).min(1),
  rpm: z.number().int().positive().nullable(),
  tpm: z.number().int().positive().nullable(),
  budget_usd: z.number().positive().nullable(),
  budget_period: z.enum(['day', 'month', 'total']),
  policies: z.array(z.string().min(1)),
  expires_at: z.string().datetime({ offset: true }).nullable(),
  metadata: z.record(z.string(), z.string()),
  log_bodies: z.boolean(),
  analytics: z.boolean(),
  cache: KeyCacheSchema.nullable(),
  alerts: AlertTargetsSchema,
};

export const CreateKeySchema = z.object({
  ...fields,
  models: fields.models.default(['*']),
  rpm: fields.rpm.default(null),
  tpm: fields.tpm.default(null),
  budget_usd: fields.budget_usd.default(null),
  budget_period: fields.budget_period.default('month'),
  policies: fields.policies.default([]),
  expires_at: fields.expires_at.default(null),
  metadata: fields.metadata.default({}),
  log_bodies: fields.log_bodies.default(true),
  analytics: fields.analytics.default(false),
  cache: fields.cache.default(null),
  alerts: fields.alerts.default([]),
}).strict();

export const PatchKeySchema = z.object(fields).partial().strict().refine((v) => Object.keys(v).length > 0, 'at least one field to change');

export type CreateKeyInput = z.infer<typeof CreateKeySchema>;
export type PatchKeyInput = z.infer<typeof PatchKeySchema>;
