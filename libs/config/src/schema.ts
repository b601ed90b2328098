import { z } from 'zod';
import { own, AlertTargetsSchema, PolicyBodySchema, KeyCacheSchema, MAX_CACHE_TTL_S } from '@gatehouse/contracts';
import { ProviderConfigSchema } from '@gatehouse/providers';
import { targetIssues } from './target-issues';
import { budgetIssues, limitFields, SpendLimitsSchema, TeamConfigSchema } from './spend-schema';
import { TelemetryConfigSchema } from './telemetry-schema';
import { AuthConfigSchema } from './auth-schema';

export const ProviderTargetSchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  weight: z.number().positive().default(1),
}).strict();
/** A leaf target: one upstream model of one configured provider. */
export type Target = z.infer<typeof ProviderTargetSchema>;

/** A nested group: the targets of another model alias, ordered by that alias's own strategy. */
export const GroupTargetSchema = z.object({
  group: z.string().min(1),
  weight: z.number().positive().default(1),
}).strict();
export type GroupTarget = z.infer<typeof GroupTargetSchema>;

export const TargetSchema = z.union([ProviderTargetSchema, GroupTargetSchema]);
export type TargetEntry = z.infer<typeof TargetSchema>;

export const RETRY_DEFAULTS = { attempts: 1, on: [429, 500, 502, 503, 504], backoff_ms: 100, max_wait_ms: 5000 };
export const TIMEOUT_DEFAULTS = { connect_ms: 10_000, first_byte_ms: 15_000, total_ms: 120_000, stream_idle_ms: 30_000 };
export const BREAKER_DEFAULTS = { failures: 5, failure_rate: 0.5, min_requests: 20, window_s: 30, cooldown_s: 10, half_open_probes: 1 };

export const ModelConfigSchema = z.object({
  strategy: z.enum(['fallback', 'loadbalance', 'least-latency']).default('fallback'),
  targets: z.array(TargetSchema).min(1),
  retry: z.object({
    attempts: z.number().int().min(0).max(10).default(RETRY_DEFAULTS.attempts),
    on: z.array(z.number().int().min(400).max(599)).default(RETRY_DEFAULTS.on),
    /** First backoff before a retry on the same target; doubles per retry, with full jitter over its upper half. */
    backoff_ms: z.number().int().min(0).max(60_000).default(RETRY_DEFAULTS.backoff_ms),
    /** Longest wait for a retry (backoff or Retry-After); a longer Retry-After moves on to the next target instead. */
    max_wait_ms: z.number().int().min(0).max(600_000).default(RETRY_DEFAULTS.max_wait_ms),
  }).strict().default(RETRY_DEFAULTS),
  timeout: z.object({
    /** TCP/TLS connect to the upstream. */
    connect_ms: z.number().int().positive().default(TIMEOUT_DEFAULTS.connect_ms),
    /** From sending the request to the upstream's response headers (one attempt). */
    first_byte_ms: z.number().int().positive().default(TIMEOUT_DEFAULTS.first_byte_ms),
    /** The whole request, every attempt and the full stream included. */
    total_ms: z.number().int().positive().default(TIMEOUT_DEFAULTS.total_ms),
    /** Longest silence between two body chunks; a stream that stalls longer ends with an error event. */
    stream_idle_ms: z.number().int().positive().default(TIMEOUT_DEFAULTS.stream_idle_ms),
  }).strict().default(TIMEOUT_DEFAULTS),
  breaker: z.object({
    /** Consecutive failures that open the breaker of a target. */
    failures: z.number().int().min(1).max(10_000).default(BREAKER_DEFAULTS.failures),
    /** Failure ratio over window_s that opens it (once min_requests were seen in the window). */
    failure_rate: z.number().gt(0).max(1).default(BREAKER_DEFAULTS.failure_rate),
    min_requests: z.number().int().min(1).default(BREAKER_DEFAULTS.min_requests),
    window_s: z.number().int().min(1).max(3600).default(BREAKER_DEFAULTS.window_s),
    /** Open time before probes are let through (half-open). */
    cooldown_s: z.number().positive().max(3600).default(BREAKER_DEFAULTS.cooldown_s),
    /** Requests let through at once while half-open. */
    half_open_probes: z.number().int().min(1).max(100).default(BREAKER_DEFAULTS.half_open_probes),
  }).strict().default(BREAKER_DEFAULTS),
}).strict();
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export type BreakerConfig = ModelConfig['breaker'];

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
  }).strict().default({ max_body_bytes: 10 * 1024 * 1024, guardrail_budget_ms: 500, on_redis_error: 'fail_open', redis_timeout_ms: 250, leases: true }),
  cache: z.object({
    /** TTL of requests that send `x-gatehouse-cache: true` with a key that has no `cache.ttl_s`. */
    default_ttl_s: z.number().int().positive().max(MAX_CACHE_TTL_S, { error: `must be at most ${MAX_CACHE_TTL_S} (7 days)` }).default(300),
    /** A response larger than this (body or whole stream) is not stored (counted in gatehouse_cache_not_stored_total). */
    max_entry_bytes: z.number().int().positive().max(64 * 1024 * 1024).default(1024 * 1024),
    /** The cache GET gives up after this long and the request is a MISS. */
    lookup_timeout_ms: z.number().int().positive().max(1000).default(25),
    /** Memory for entries when there is no Redis (per process; each standalone worker holds a full replica). */
    memory_max_bytes: z.number().int().positive().default(64 * 1024 * 1024),
    /** With Redis: live entries this process keeps an index of, so a lookup that cannot hit costs no round trip (0: no index; ~50 B each). */
    key_index_max_keys: z.number().int().min(0).max(10_000_000).default(200_000),
  }).strict().default({ default_ttl_s: 300, max_entry_bytes: 1024 * 1024, lookup_timeout_ms: 25, memory_max_bytes: 64 * 1024 * 1024, key_index_max_keys: 200_000 }),
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
  telemetry: TelemetryConfigSchema.default({}),
  analytics: z.object({
    ttl_days: z.number().int().positive().default(90),
    batch_max_rows: z.number().int().positive().default(10000),
    batch_max_ms: z.number().int().positive().default(500),
  }).strict().default({ ttl_days: 90, batch_max_rows: 10000, batch_max_ms: 500 }),
  auth: AuthConfigSchema,
}).strict().superRefine((cfg, ctx) => {
  for (const issue of targetIssues(cfg.models, cfg.providers)) ctx.addIssue(issue);
  const seen = new Set<string>();
  cfg.keys.forEach((k, i) => {
    if (seen.has(k.name)) ctx.addIssue({ code: 'custom', path: ['keys', i, 'name'], message: `duplicate key name "${k.name}"` });
    seen.add(k.name);
    for (const issue of budgetIssues(k, ['keys', i])) ctx.addIssue(issue);
  });
  for (const [name, team] of Object.entries(cfg.teams)) for (const issue of budgetIssues(team, ['teams', name])) ctx.addIssue(issue);
});
export type GatehouseConfig = z.infer<typeof GatehouseConfigSchema>;
