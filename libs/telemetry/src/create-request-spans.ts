import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { GatehouseConfig, GatehouseEnv } from '@gatehouse/config';
import { resolveOtlpSettings } from './otlp-settings';
import { RequestSpans } from './request-spans';

/** The span exporter the config and environment ask for, or null when OpenTelemetry export is off. */
export function createRequestSpans(config: GatehouseConfig, env: GatehouseEnv): RequestSpans | null {
  const settings = resolveOtlpSettings(config.telemetry.otlp, env);
  if (!settings) return null;
  const options = { url: settings.url, headers: settings.headers, timeoutMillis: settings.timeoutMs, concurrencyLimit: 1 };
  const exporter = settings.protocol === 'http/json' ? new JsonExporter(options) : new ProtobufExporter(options);
  return new RequestSpans(settings, exporter);
}
