import { z } from 'zod';
import { CacheStatusSchema } from './cache';
import { defineTopic } from './topic';

/** The client's dialect: OpenAI Chat Completions, Anthropic Messages, or OpenAI Responses. */
export const ClientFormatSchema = z.enum(['openai', 'anthropic', 'openai-responses']);
export type ClientFormat = z.infer<typeof ClientFormatSchema>;

export const EndpointSchema = z.enum(['chat', 'messages', 'responses', 'count_tokens', 'embeddings', 'models']);
export type Endpoint = z.infer<typeof EndpointSchema>;

/** One upstream attempt of a request (a retry or a fallback to the next target). */
export const AttemptSchema = z.object({
  provider: z.string(),
  model: z.string(),
  status: z.number().int().min(0).max(999),
  error_type: z.string().nullable(),
  latency_ms: z.number().nonnegative(),
  /** The target's circuit breaker when the attempt started (closed, or half_open for a probe; open when tried because every target was open). Optional: traces written before breakers existed have none (compatible change of gatehouse.traces.v1). */
  breaker: z.enum(['closed', 'open', 'half_open']).optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const GuardrailSummarySchema = z.object({
  /** The strongest action taken: none < flag < redact < deny. */
  action: z.enum(['none', 'flag', 'redact', 'deny']),
  policies: z.array(z.object({ id: z.string(), version: z.number().int() })),
  flagged: z.number().int().nonnegative().max(65535),
  redacted: z.number().int().nonnegative().max(65535),
  denied: z.number().int().nonnegative().max(65535),
});
export type GuardrailSummary = z.infer<typeof GuardrailSummarySchema>;

export const CostSchema = z.object({
  input_usd: z.number().nonnegative(),
  output_usd: z.number().nonnegative(),
  cached_input_usd: z.number().nonnegative(),
  cache_write_usd: z.number().nonnegative(),
  reasoning_usd: z.number().nonnegative(),
});
export type CostParts = z.infer<typeof CostSchema>;

/** One trace per finished request. Timestamps are epoch milliseconds. */
export const TraceSchema = z.object({
  request_id: z.string().min(1),
  trace_id: z.string().min(1),
  span_id: z.string().min(1),
  parent_span_id: z.string().nullable(),
  ts_start: z.number().int().nonnegative(),
  ts_end: z.number().int().nonnegative(),
  latency_ms: z.number().nonnegative(),
  ttft_ms: z.number().nonnegative().nullable(),
  /** HTTP status as answered (499: the client closed the connection). Stored as UInt16. */
  status: z.number().int().min(0).max(999),
  error_type: z.string().nullable(),
  client_format: ClientFormatSchema,
  endpoint: EndpointSchema,
  model_requested: z.string(),
  provider: z.string().nullable(),
  model_upstream: z.string().nullable(),
  attempts: z.number().int().nonnegative().max(65535),
  attempt_details: z.array(AttemptSchema),
  key_id: z.string().nullable(),
  key_name: z.string().nullable(),
  team: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative(),
  cache_write_tokens: z.number().int().nonnegative(),
  reasoning_tokens: z.number().int().nonnegative(),
  cost_usd: z.number().nonnegative().nullable(),
  cost: CostSchema.nullable(),
  pricing_unknown: z.boolean(),
  cache_hit: z.boolean(),
  /** Response cache outcome (absent in traces written before the cache existed: BYPASS). */
  cache_status: CacheStatusSchema.default('BYPASS'),
  /** On a cache HIT: the cost of the original request this response replays (cost_usd is 0); else 0. */
  cost_saved_usd: z.number().nonnegative().default(0),
  stream: z.boolean(),
  guardrails: GuardrailSummarySchema,
  request_body: z.string().nullable(),
  response_body: z.string().nullable(),
});
export type Trace = z.infer<typeof TraceSchema>;

/** One message per request: produced values are checked with the schema's compiled JSON Schema (see TopicDef.plain; trace.spec.ts). */
export const TracesTopic = defineTopic('gatehouse.traces.v1', TraceSchema, false, true);
