import { z } from 'zod';
import { defineJob } from './job';
import { defineTopic } from './topic';

/**
 * Where an alert is delivered: a generic JSON webhook (the AlertEvent as it is) or a
 * Slack-compatible incoming webhook ({"text": ...}). Named by policies, keys and teams (`alerts`),
 * and in the config's `alerts.targets` (every alert, breaker openings and closings included);
 * `kinds` narrows what one target receives.
 */
export const ALERT_KINDS = ['guardrail_deny', 'budget_threshold', 'breaker_open', 'breaker_closed'] as const;

export const AlertTargetSchema = z.object({
  type: z.enum(['webhook', 'slack']),
  /** Receivers that need a credential take it in the URL (as Slack's do): the URL is shown masked by the admin API. */
  url: z.string().url().refine((u) => /^https?:\/\//.test(u), { message: 'must be an http:// or https:// URL' }),
  /** The alert kinds this target receives; every kind when absent. */
  kinds: z.array(z.enum(ALERT_KINDS)).min(1).optional(),
}).strict();
export type AlertTarget = z.infer<typeof AlertTargetSchema>;

/** The alert targets a policy, key or team may name (at most 8). */
export const AlertTargetsSchema = z.array(AlertTargetSchema).max(8);

const common = {
  /** Unique per alert: deliveries of one alert to one target are deduplicated by (alert_id, target). Receivers may dedupe on it too (delivery is at least once). */
  alert_id: z.string().min(1).max(128),
  ts: z.number().int().nonnegative(),
  /** Policy, key and team ids whose alert targets receive it (plus the config's alerts.targets). */
  policy_id: z.string().nullable().default(null),
  key_id: z.string().nullable().default(null),
  team: z.string().nullable().default(null),
};

/**
 * One alert, published on gatehouse.alerts.v1 by the process that saw it and fanned out by the
 * guard into one delivery job per target. Carries ids, names, counts and amounts only: never a
 * secret, never request or response text.
 */
export const AlertEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('guardrail_deny'), ...common,
    policy_id: z.string(),
    policy_version: z.number().int().positive(),
    request_id: z.string(),
    model: z.string().nullable(),
    /** The failed check types of the denying verdict (never the matched text). */
    checks: z.array(z.string()),
    /** Denies of this policy folded into this alert since the previous one (alerts are rate-limited per policy). */
    denies_since_last: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('budget_threshold'), ...common,
    scope: z.enum(['key', 'team']),
    /** 80 or 100 (% of the budget reached). */
    threshold_pct: z.union([z.literal(80), z.literal(100)]),
    budget_usd: z.number().positive(),
    spent_usd: z.number().nonnegative(),
    period: z.enum(['day', 'month', 'total']),
    /** Epoch ms of the start of the budget period (0 for `total`). */
    period_start: z.number().int().nonnegative(),
  }),
  z.object({
    kind: z.literal('breaker_open'), ...common,
    provider: z.string(),
    model: z.string(),
    /** Why it opened, e.g. "5 consecutive failures" (no upstream response bodies, no credentials). */
    reason: z.string().max(500),
    cooldown_s: z.number().nonnegative().nullable(),
    /** The gateway process whose breaker opened ("<host>:<pid>"); breakers are per process. */
    replica: z.string().max(300).default(''),
  }),
  z.object({
    kind: z.literal('breaker_closed'), ...common,
    provider: z.string(),
    model: z.string(),
    /** Why it closed, e.g. "probe succeeded". */
    reason: z.string().max(500),
    replica: z.string().max(300).default(''),
  }),
]);
export type AlertEvent = z.infer<typeof AlertEventSchema>;
export type AlertKind = AlertEvent['kind'];

export const AlertsTopic = defineTopic('gatehouse.alerts.v1', AlertEventSchema);

/** One alert to one target, as the guard's delivery workers run it (retried with backoff). */
export const AlertDeliveryJobSchema = z.object({
  /** `<alert_id>:<target hash>`: the job id, so an alert is queued once per target whatever replays the topic. */
  delivery_id: z.string().min(1),
  target: AlertTargetSchema,
  alert: AlertEventSchema,
  enqueued_at: z.number().int().nonnegative(),
});
export type AlertDeliveryJob = z.infer<typeof AlertDeliveryJobSchema>;

export const AlertDelivery = defineJob('alert.delivery', AlertDeliveryJobSchema);

/**
 * A delivery that failed every attempt: the value of the compacted gatehouse.alert-failures.v1
 * (keyed by delivery_id; a tombstone once redelivered). Read by GET /admin/alerts/failed.
 */
export const AlertFailureSchema = AlertDeliveryJobSchema.extend({
  failed_at: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  /** The last error, e.g. "HTTP 503" or "connect ECONNREFUSED" (never a response body). */
  last_error: z.string().max(500),
});
export type AlertFailure = z.infer<typeof AlertFailureSchema>;

export const AlertFailuresTopic = defineTopic('gatehouse.alert-failures.v1', AlertFailureSchema, true);
