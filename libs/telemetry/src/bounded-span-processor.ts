import { TraceFlags, type Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { counter, gauge } from '@gatehouse/observability';

const exported = counter('gatehouse_otel_spans_exported_total', 'Request spans the OTLP collector accepted');
const dropped = counter('gatehouse_otel_spans_dropped_total', 'Request spans not exported: queue_full (the collector is slower than the traffic or down) or export_failed', ['reason']);
const queued = gauge('gatehouse_otel_queue_spans', 'Request spans waiting for export');

export interface BatchLimits {
  maxQueueSize: number;
  maxBatchSize: number;
  exportIntervalMs: number;
  timeoutMs: number;
}

/**
 * Batches finished spans to an exporter off the request path: a span is pushed onto a bounded
 * queue (an array push), a timer or a full batch starts one export at a time, and a full queue or
 * a failed export drops spans and counts them. The SDK's BatchSpanProcessor does the same but
 * counts its drops only through an OpenTelemetry meter; this one feeds our Prometheus registry.
 */
export class BoundedSpanProcessor implements SpanProcessor {
  private queue: ReadableSpan[] = [];
  private inFlight: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly exporter: SpanExporter,
    private readonly limits: BatchLimits,
  ) {
    this.timer = setInterval(() => this.kick(), limits.exportIntervalMs);
    this.timer.unref();
  }

  onStart(_span: Span, _parent: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length >= this.limits.maxQueueSize) {
      dropped.inc({ reason: 'queue_full' });
      return;
    }
    this.queue.push(span);
    queued.set(this.queue.length);
    if (this.queue.length >= this.limits.maxBatchSize) this.kick();
  }

  /** Sends everything queued now, waiting at most timeoutMs. */
  async forceFlush(): Promise<void> {
    const deadline = Date.now() + this.limits.timeoutMs;
    while ((this.queue.length > 0 || this.inFlight) && Date.now() < deadline) {
      this.kick();
      if (this.inFlight) await this.inFlight;
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.forceFlush();
    this.closed = true;
    if (this.queue.length > 0) dropped.inc({ reason: 'queue_full' }, this.queue.length);
    this.queue = [];
    queued.set(0);
    await this.exporter.shutdown();
  }

  private kick(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.length <= this.limits.maxBatchSize ? this.queue : this.queue.slice(0, this.limits.maxBatchSize);
    this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
    queued.set(this.queue.length);
    this.inFlight = this.send(batch).finally(() => {
      this.inFlight = null;
      if (this.queue.length >= this.limits.maxBatchSize) this.kick();
    });
  }

  private send(batch: ReadableSpan[]): Promise<void> {
    return new Promise<void>((resolve) => {
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(guard);
        if (ok) exported.inc(batch.length);
        else dropped.inc({ reason: 'export_failed' }, batch.length);
        resolve();
      };
      const guard = setTimeout(() => settle(false), this.limits.timeoutMs + 1000);
      guard.unref();
      try {
        this.exporter.export(batch, (r) => settle(r.code === ExportResultCode.SUCCESS));
      } catch {
        settle(false);
      }
    });
  }
}
