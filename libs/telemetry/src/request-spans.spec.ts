import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { Trace } from '@gatehouse/contracts';
import { registry } from '@gatehouse/observability';
import type { OtlpSettings } from './otlp-settings';
import { RequestSpans } from './request-spans';

const settings = (over: Partial<OtlpSettings> = {}): OtlpSettings => ({
  url: 'http://unused/v1/traces',
  protocol: 'http/json',
  headers: {},
  sampler: 'parentbased_traceidratio',
  ratio: 1,
  serviceName: 'gatehouse-test',
  maxQueueSize: 100,
  maxBatchSize: 10,
  exportIntervalMs: 10,
  timeoutMs: 200,
  ...over,
});

let n = 0;
const trace = (over: Partial<Trace> = {}): Trace => ({
  request_id: `req-${++n}`,
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  span_id: (n + 0x1000).toString(16).padStart(16, '0'),
  parent_span_id: null,
  ts_start: 1_700_000_000_000,
  ts_end: 1_700_000_000_250,
  latency_ms: 250.5,
  ttft_ms: null,
  status: 200,
  error_type: null,
  client_format: 'openai',
  endpoint: 'chat',
  model_requested: 'fast',
  provider: 'primary',
  model_upstream: 'gpt-4o-mini',
  attempts: 1,
  attempt_details: [],
  key_id: 'k1',
  key_name: 'app',
  team: 'search',
  metadata: { feature: 'qa' },
  input_tokens: 10,
  output_tokens: 5,
  cached_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: 0.0012,
  cost: null,
  pricing_unknown: false,
  cache_hit: false,
  cache_status: 'BYPASS',
  cost_saved_usd: 0,
  stream: false,
  guardrails: { action: 'redact', policies: [{ id: 'pii', version: 3 }], flagged: 0, redacted: 1, denied: 0 },
  request_body: 'my secret prompt',
  response_body: 'the answer',
  ...over,
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};

async function dropped(reason: string): Promise<number> {
  const m = (await registry.getSingleMetric('gatehouse_otel_spans_dropped_total')?.get())?.values.find((v) => v.labels.reason === reason);
  return m?.value ?? 0;
}

describe('request spans', () => {
  it("carry the trace's ids, times and attributes, and never its bodies", async () => {
    const mem = new InMemorySpanExporter();
    const spans = new RequestSpans(settings(), mem);
    const t = trace({ parent_span_id: '00f067aa0ba902b7' });
    spans.record(t, { providerType: 'azure-openai', parentSampled: true });
    await until(() => mem.getFinishedSpans().length > 0);
    const [s] = mem.getFinishedSpans();
    expect(s.spanContext()).toMatchObject({ traceId: t.trace_id, spanId: t.span_id });
    expect(s.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(s.name).toBe('chat fast');
    expect(s.duration).toEqual([0, 250_500_000]);
    expect(s.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.request.model': 'fast',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gatehouse.cost_usd': 0.0012,
      'gatehouse.guardrails.action': 'redact',
      'gatehouse.guardrails.policies': ['pii@3'],
      'gatehouse.metadata.feature': 'qa',
    });
    expect(JSON.stringify(s.attributes)).not.toMatch(/secret prompt|the answer/);
    expect(s.resource.attributes['service.name']).toBe('gatehouse-test');
    await spans.shutdown();
  });

  it('sample root requests by ratio and follow an unsampled caller', async () => {
    const mem = new InMemorySpanExporter();
    const none = new RequestSpans(settings({ ratio: 0 }), mem);
    none.record(trace(), { providerType: 'openai', parentSampled: true });
    none.record(trace({ parent_span_id: '00f067aa0ba902b7' }), { providerType: 'openai', parentSampled: true });
    none.record(trace({ parent_span_id: '00f067aa0ba902b7' }), { providerType: 'openai', parentSampled: false });
    await until(() => mem.getFinishedSpans().length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(mem.getFinishedSpans().map((s) => s.parentSpanContext?.spanId)).toEqual(['00f067aa0ba902b7']);
    await none.shutdown();
  });

  it('drop and count spans when the queue is full or the export fails, without ever waiting on the exporter', async () => {
    const exports: Array<(r: ExportResult) => void> = [];
    const stuck: SpanExporter = { export: (_s: ReadableSpan[], done) => exports.push(done), shutdown: async () => undefined };
    const spans = new RequestSpans(settings({ maxQueueSize: 3, maxBatchSize: 2, timeoutMs: 100_000 }), stuck);
    const fullBefore = await dropped('queue_full');
    const failedBefore = await dropped('export_failed');
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) spans.record(trace(), { providerType: 'openai', parentSampled: true });
    // The exporter never answers (its timeout is 100 s): recording returned at once, not after it.
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(exports).toHaveLength(1);
    expect((await dropped('queue_full')) - fullBefore).toBe(5);
    exports[0]({ code: ExportResultCode.FAILED });
    await until(() => exports.length === 2);
    expect((await dropped('export_failed')) - failedBefore).toBe(2);
    exports[1]({ code: ExportResultCode.SUCCESS });
    await until(() => exports.length === 3);
    exports[2]({ code: ExportResultCode.SUCCESS });
    await spans.shutdown();
    expect((await dropped('export_failed')) - failedBefore).toBe(2);
  });
});
