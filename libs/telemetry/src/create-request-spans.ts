import type { GatehouseConfig, GatehouseEnv } from '@gatehouse/config';
import { resolveOtlpSettings } from './otlp-settings';
import type { RequestSpans } from './request-spans';

/**
 * The span exporter the config and environment ask for, or null when OpenTelemetry export is off.
 * The OpenTelemetry SDK and exporters load only then: a process without export never loads them
 * (about 1 MB of modules, several MB of resident memory).
 */
export function createRequestSpans(config: GatehouseConfig, env: GatehouseEnv): RequestSpans | null {
  const settings = resolveOtlpSettings(config.telemetry.otlp, env);
  if (!settings) return null;
  const options = { url: settings.url, headers: settings.headers, timeoutMillis: settings.timeoutMs, concurrencyLimit: 1 };
  const exporter =
    settings.protocol === 'http/json'
      ? new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(options)
      : new (require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(options);
  const { RequestSpans: Spans } = require('./request-spans') as typeof import('./request-spans');
  return new Spans(settings, exporter);
}
