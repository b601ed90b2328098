import type { GatehouseEnv, OtlpConfig } from '@gatehouse/config';

export type SamplerName = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

/** Where and how request spans are exported; null settings mean export is off. */
export interface OtlpSettings {
  /** Full traces URL (…/v1/traces). */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  headers: Record<string, string>;
  sampler: SamplerName;
  ratio: number;
  serviceName: string;
  maxQueueSize: number;
  maxBatchSize: number;
  exportIntervalMs: number;
  timeoutMs: number;
}

const TRACES_PATH = '/v1/traces';

/** `telemetry.otlp` in the config wins field by field over the standard OTEL_* variables; no endpoint anywhere: off. */
export function resolveOtlpSettings(config: OtlpConfig | undefined, env: GatehouseEnv): OtlpSettings | null {
  if (env.OTEL_SDK_DISABLED === 'true') return null;
  const url = config?.endpoint ? tracesUrl(config.endpoint) : env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? tracesUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT) : null);
  if (!url) return null;
  const ratio = config?.sampling_ratio ?? env.OTEL_TRACES_SAMPLER_ARG ?? 1;
  return {
    url,
    protocol: config?.protocol ?? env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    headers: { ...parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...config?.headers },
    sampler: config?.sampling_ratio !== undefined ? 'parentbased_traceidratio' : (env.OTEL_TRACES_SAMPLER ?? 'parentbased_traceidratio'),
    ratio,
    serviceName: config?.service_name ?? env.OTEL_SERVICE_NAME ?? 'gatehouse',
    maxQueueSize: config?.max_queue_size ?? 2048,
    maxBatchSize: config?.max_batch_size ?? 512,
    exportIntervalMs: config?.export_interval_ms ?? 1000,
    timeoutMs: config?.timeout_ms ?? 10_000,
  };
}

function tracesUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith(TRACES_PATH) ? trimmed : trimmed + TRACES_PATH;
}

/** The W3C-baggage-like list of the OTLP spec: `k1=v1,k2=v2`, values percent-encoded. */
export function parseOtlpHeaders(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}
