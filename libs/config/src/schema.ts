import { z } from 'zod';
import { own, AlertTargetsSchema, PolicyBodySchema, KeyCacheSchema, MAX_CACHE_TTL_S } from '@gatehouse/contracts';
import { ProviderConfigSchema } from '@gatehouse/providers';
import { budgetIssues, limitFields, SpendLimitsSchema, TeamConfigSchema } from './spend-schema';

export const TargetSchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  weight: z.number().positive().default(1),
}).strict();
export type Target = z.infer<typeof TargetSchema>;

export const ModelConfigSchema = z.object({
  strategy: z.enum(['fallback', 'loadbalance', 'least-latency']).default('fallback'),
  targets: z.array(TargetSchema).min(1),
  retry: z.object({
    attempts: z.number().int().min(0).max(10).default(1),
    on: z.array(z.number().int().min(400).max(599)).default([429, 500, 502, 503, 504]),
  }).strict().default({ attempts: 1, on: [429, 500, 502, 503, 504] }),
  timeout: z.object({
    first_byte_ms: z.number().int().positive().default(15000),
    total_ms: z.number().int().positive().default(120000),
  }).strict().default({ first_byte_ms: 15000, total_ms: 120000 }),
}).strict();
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

export const ConfigKeySchema = z.object({
  name: z.string().min(1),
  key_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the key'),
  team: z.string().min(1),
  models: z.array(z.string().min(1)).default(['*']),
  ...limitFields,
  policies: z.array(z.string()).default([]),
  expires_at: z.string().datetime({ offset: true }).optional(),
  metadata: z.record(z.string(), z.string()).default({}),
  log_bodies: z.boolean().default(true),
  analytics: z.boolean().default(false),
  cache: KeyCacheSchema.optional(),
  alerts: AlertTargetsSchema.default([]),
}).strict();
export type ConfigKey = z.infer<typeof ConfigKeySchema>;

export const PriceSchema = z.object({
  input_per_mtok: z.number().nonnegative(),
  output_per_mtok: z.number().nonnegative(),
  cached_input_per_mtok: z.number().nonnegative().optional(),
  cache_write_per_mtok: z.number().nonnegative().optional(),
  reasoning_per_mtok: z.number().nonnegative().optional(),
}).strict();
export type Price = z.infer<typeof PriceSchema>;

export const GatehouseConfigSchema = z.object({
  providers: z.record(z.string(), ProviderConfigSchema).default({}),
  models: z.record(z.string(), ModelConfigSchema).default({}),
  keys: z.array(ConfigKeySchema).default([]),
  policies: z.array(PolicyBodySchema).default([]),
  /** Keyed by "<provider type>/<upstream model>" or by upstream model name. */
  pricing: z.record(z.string(), PriceSchema).default({}),
  teams: z.record(z.string().min(1).max(128), TeamConfigSchema).default({}),
  limits: z.object({
    max_body_bytes: z.number().int().positive().default(10 * 1024 * 1024),
    /** Time the inline checks of one stage may take; a check that would start later errors and the policy's on_error decides. */
    guardrail_budget_ms: z.number().int().positive().max(60_000).default(500),
    ...SpendLimitsSchema,
  }).strict().default({ max_body_bytes: 10 * 1024 * 1024, guardrail_budget_ms: 500, on_redis_error: 'fail_open', redis_timeout_ms: 250 }),
  cache: z.object({
    /** TTL of requests that send `x-gatehouse-cache: true` with a key that has no `cache.ttl_s`. */
    default_ttl_s: z.number().int().positive().max(MAX_CACHE_TTL_S, { error: `must be at most ${MAX_CACHE_TTL_S} (7 days)` }).default(300),
    /** A response larger than this (body or whole stream) is not stored (counted in gatehouse_cache_not_stored_total). */
    max_entry_bytes: z.number().int().positive().max(64 * 1024 * 1024).default(1024 * 1024),
    /** The cache GET gives up after this long and the request is a MISS. */
    lookup_timeout_ms: z.number().int().positive().max(1000).default(25),
    /** Memory for entries when there is no Redis (per process; each standalone worker holds a full replica). */
    memory_max_bytes: z.number().int().positive().default(64 * 1024 * 1024),
  }).strict().default({ default_ttl_s: 300, max_entry_bytes: 1024 * 1024, lookup_timeout_ms: 25, memory_max_bytes: 64 * 1024 * 1024 }),
  alerts: z.object({
    /** Targets of every alert (breaker openings go only here), beside those named by policies, keys and teams. */
    targets: AlertTargetsSchema.default([]),
    /** At most one deny alert per policy per this many seconds; denies in between are counted into the next one. */
    deny_interval_s: z.number().int().min(0).max(86_400).default(60),
    /** Delivery attempts per (alert, target), the first included. */
    attempts: z.number().int().min(1).max(20).default(8),
    /** Delay before the second attempt, doubled for each further one. */
    backoff_ms: z.number().int().positive().max(600_000).default(1000),
    /** One delivery's HTTP timeout. */
    timeout_ms: z.number().int().positive().max(60_000).default(5000),
  }).strict().default({ targets: [], deny_interval_s: 60, attempts: 8, backoff_ms: 1000, timeout_ms: 5000 }),
  guardrails: z.object({
    /**
     * Where llm_judge checks ask their model: this gateway's own /v1/chat/completions (routing,
     * failover, pricing and a trace under the judge key's team) with a key of the judge team.
     */
    judge: z.object({
      url: z.string().url(),
      api_key: z.string().min(1),
      /** Requests of this team are never judged (the judge's own calls). */
      team: z.string().min(1).default('gatehouse-system'),
    }).strict().optional(),
  }).strict().default({}),
  backtest: z.object({
    /** A range holding more stored requests than this runs as a job (202 + /admin/jobs/:id) instead of answering inline. */
    job_threshold_rows: z.number().int().positive().default(5000),
    /** Rows read from the store per page (a backtest holds one page in memory). */
    page_rows: z.number().int().min(1).max(5000).default(500),
    /** Rows read per second at most, so a long backtest does not starve the store or the guard. */
    rows_per_second: z.number().int().positive().default(5000),
    /** Request ids kept as samples per outcome. */
    sample_ids: z.number().int().min(0).max(100).default(10),
  }).strict().default({ job_threshold_rows: 5000, page_rows: 500, rows_per_second: 5000, sample_ids: 10 }),
  analytics: z.object({
    ttl_days: z.number().int().positive().default(90),
    batch_max_rows: z.number().int().positive().default(10000),
    batch_max_ms: z.number().int().positive().default(500),
  }).strict().default({ ttl_days: 90, batch_max_rows: 10000, batch_max_ms: 500 }),
}).strict().superRefine((cfg, ctx) => {
  for (const [name, model] of Object.entries(cfg.models)) {
    model.targets.forEach((t, i) => {
      if (!own(cfg.providers, t.provider)) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', name, 'targets', i, 'provider'],
          message: `unknown provider "${t.provider}" (configured: ${Object.keys(cfg.providers).join(', ') || 'none'})`,
        });
      }
    });
  }
  const seen = new Set<string>();
  cfg.keys.forEach((k, i) => {
    if (seen.has(k.name)) ctx.addIssue({ code: 'custom', path: ['keys', i, 'name'], message: `duplicate key name "${k.name}"` });
    seen.add(k.name);
    for (const issue of budgetIssues(k, ['keys', i])) ctx.addIssue(issue);
  });
  for (const [name, team] of Object.entries(cfg.teams)) for (const issue of budgetIssues(team, ['teams', name])) ctx.addIssue(issue);
});
export type GatehouseConfig = z.infer<typeof GatehouseConfigSchema>;
