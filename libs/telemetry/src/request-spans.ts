import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace as otelTrace, type Context, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type IdGenerator,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import type { Trace } from '@gatehouse/contracts';
import { BoundedSpanProcessor } from './bounded-span-processor';
import type { OtlpSettings, SamplerName } from './otlp-settings';
import { requestSpanAttributes, spanName } from './request-span-attributes';

/** What the exported span needs beside the trace: the provider's type and the caller's sampled flag. */
export interface SpanFacts {
  providerType: string | null;
  /** The `traceparent` flags' sampled bit (true when there was no traceparent). */
  parentSampled: boolean;
}

/**
 * The SDK asks for ids when a span starts; a request's span must carry the ids its trace already
 * has (so the span and the Gatehouse trace are the same thing), so they are handed over just
 * before startSpan, on the same tick.
 */
class GivenIds implements IdGenerator {
  traceId = '';
  spanId = '';
  generateTraceId = (): string => this.traceId;
  generateSpanId = (): string => this.spanId;
}

function samplerOf(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/** Turns each finished request's trace into one OTLP span, exported in the background. */
export class RequestSpans {
  private readonly ids = new GivenIds();
  private readonly provider: TracerProvider;
  private readonly tracer: Tracer;

  constructor(settings: OtlpSettings, exporter: SpanExporter) {
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
      sampler: samplerOf(settings.sampler, settings.ratio),
      idGenerator: this.ids,
      spanProcessors: [new BoundedSpanProcessor(exporter, settings)],
    });
    this.tracer = this.provider.getTracer('gatehouse');
  }

  record(trace: Trace, facts: SpanFacts): void {
    this.ids.traceId = trace.trace_id;
    this.ids.spanId = trace.span_id;
    const span = this.tracer.startSpan(spanName(trace), { kind: SpanKind.SERVER, startTime: trace.ts_start }, parentOf(trace, facts));
    if (!span.isRecording()) return;
    span.setAttributes(requestSpanAttributes(trace, facts.providerType));
    if (trace.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: trace.error_type ?? undefined });
    span.end(trace.ts_start + trace.latency_ms);
  }

  /** Exports what is queued (bounded by the export timeout) and stops. */
  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

function parentOf(trace: Trace, facts: SpanFacts): Context {
  if (!trace.parent_span_id) return ROOT_CONTEXT;
  return otelTrace.setSpanContext(ROOT_CONTEXT, {
    traceId: trace.trace_id,
    spanId: trace.parent_span_id,
    traceFlags: facts.parentSampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}
