import { z } from 'zod';
import { AlertTargetsSchema } from './alert';
import { defineTopic } from './topic';

const stage = z.enum(['input', 'output', 'both']);
const base = {
  stage: stage.default('input'),
  action: z.enum(['deny', 'redact', 'flag']).default('deny'),
  name: z.string().optional(),
};
export const PII_ENTITIES = ['email', 'phone', 'credit_card', 'iban', 'us_ssn', 'ip_address'] as const;

export const CheckSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('pii'), ...base,
    entities: z.array(z.enum(PII_ENTITIES)).min(1).default([...PII_ENTITIES]),
    custom: z.array(z.object({ name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), pattern: z.string() })).default([]),
    /** ISO 3166 regions whose national phone formats count (international +/00 numbers always do). */
    phone_regions: z.array(z.string().regex(/^[A-Z]{2}$/, 'a two-letter ISO 3166 region code such as US or DE')).min(1).default(['US']),
    /** Context words (phone, Tel., teléfono, SSN…) just before a value accept weaker forms (national numbers of other regions, bare 9-digit SSNs). */
    context: z.boolean().default(true),
  }),
  z.object({ type: z.literal('secrets'), ...base, entropy_threshold: z.number().positive().default(4.0) }),
  z.object({ type: z.literal('prompt_injection'), ...base, threshold: z.number().min(0).max(1).default(0.7) }),
  z.object({ type: z.literal('regex'), ...base, pattern: z.string().min(1) }),
  z.object({ type: z.literal('keywords'), ...base, words: z.array(z.string().min(1)).min(1), case_sensitive: z.boolean().default(false) }),
  z.object({ type: z.literal('json_schema'), ...base, stage: z.literal('output').default('output'), schema: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('max_tokens'), ...base, max: z.number().int().positive() }),
  z.object({ type: z.literal('invisible_text'), ...base }),
  z.object({ type: z.literal('model_allowlist'), ...base, models: z.array(z.string()).min(1) }),
  z.object({
    type: z.literal('webhook'), ...base,
    url: z.string().url(),
    timeout_ms: z.number().int().positive().max(30000).default(300),
    async: z.boolean().default(false),
    headers: z.record(z.string(), z.string()).default({}),
  }),
  z.object({
    type: z.literal('llm_judge'), ...base,
    /** A model name configured in `models`: the judge is asked through the gateway's own routing. */
    model: z.string().min(1),
    /** What the judge decides, e.g. "Fail requests that ask for medical dosages." */
    rubric: z.string().min(1).max(20_000),
    /** The text fails when the judge says "fail" or scores it at or above this. */
    threshold: z.number().min(0).max(1).default(0.5),
    timeout_ms: z.number().int().positive().max(60_000).default(2000),
    async: z.boolean().default(false),
  }),
]);
export type Check = z.infer<typeof CheckSchema>;
export type CheckType = Check['type'];

const glob = z.array(z.string().min(1)).default(['*']);
export const PolicyBodySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, "-" or "_", at most 64 characters'),
  description: z.string().optional(),
  mode: z.enum(['enforce', 'monitor']).default('enforce'),
  on_error: z.enum(['deny', 'allow']).default('deny'),
  scope: z.object({ teams: glob, keys: glob, models: glob }).default({ teams: ['*'], keys: ['*'], models: ['*'] }),
  checks: z.array(CheckSchema).min(1),
  /** Where this policy's deny verdicts are alerted (rate-limited per policy). */
  alerts: AlertTargetsSchema.optional(),
});
export type PolicyBody = z.infer<typeof PolicyBodySchema>;

/** The value of gatehouse.policies.v1 (compacted by policy id; a null value is a tombstone). */
export const PolicyEventSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  created_at: z.number().int().nonnegative(),
  /** Who made this version: "admin" (the admin token), "config" (the config file); absent on versions made before it was recorded. */
  actor: z.string().nullable().optional(),
  policy: PolicyBodySchema,
});
export type PolicyEvent = z.infer<typeof PolicyEventSchema>;

export const PoliciesTopic = defineTopic('gatehouse.policies.v1', PolicyEventSchema, true);

/** The key of a version in gatehouse.policy-versions.v1: every (id, version) is its own key, so compaction never removes one. */
export const policyVersionKey = (id: string, version: number): string => `${id}@${version}`;

/**
 * Every version of every policy (compacted by "<id>@<version>", never tombstoned): the durable
 * history behind GET /admin/policies/:id/versions, replayed by the guard on start.
 */
export const PolicyVersionsTopic = defineTopic('gatehouse.policy-versions.v1', PolicyEventSchema, true);
