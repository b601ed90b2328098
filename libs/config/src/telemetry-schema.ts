import { z } from 'zod';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

const httpUrl = z.string().url().refine((v) => v.startsWith('http://') || v.startsWith('https://'), { message: 'must start with http:// or https://' });

/**
 * OpenTelemetry export of one span per request. Every field may also come from the standard
 * OTEL_* environment variables; a value in the config wins over the environment.
 */
export const OtlpConfigSchema = z.object({
  /** Collector base URL; `/v1/traces` is appended unless the URL already ends with it. */
  endpoint: httpUrl.optional(),
  protocol: z.enum(OTLP_PROTOCOLS, { error: `must be one of ${OTLP_PROTOCOLS.join(', ')} (gRPC is not supported)` }).optional(),
  /** Sent with every export (e.g. an API key of the collector); never logged. */
  headers: z.record(z.string().min(1), z.string()).optional(),
  /** Share of root requests exported (a caller's sampled flag in `traceparent` is followed). */
  sampling_ratio: z.number().min(0).max(1).optional(),
  service_name: z.string().min(1).optional(),
  /** Spans waiting for export at most; further spans are dropped and counted (gatehouse_otel_spans_dropped_total). */
  max_queue_size: z.number().int().min(1).max(1_000_000).default(2048),
  max_batch_size: z.number().int().min(1).max(10_000).default(512),
  /** A batch is sent at least this often while spans wait. */
  export_interval_ms: z.number().int().min(10).max(60_000).default(1000),
  /** One export (with the exporter's retries) gives up after this long; its spans count as dropped. */
  timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
}).strict().refine((o) => o.max_batch_size <= o.max_queue_size, { path: ['max_batch_size'], message: 'must not exceed max_queue_size' });
export type OtlpConfig = z.infer<typeof OtlpConfigSchema>;

export const TelemetryConfigSchema = z.object({
  otlp: OtlpConfigSchema.optional(),
}).strict();
