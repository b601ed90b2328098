import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, UPSTREAM_KEYS, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-otel-key-000000001';
const COLLECTOR_TOKEN = 'collector-secret-token-7781';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values: Array<{ stringValue?: string }> } };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status?: { code?: number };
}
interface ReceivedExport {
  contentType: string;
  authorization: string | undefined;
  body: Buffer;
}

/** A local OTLP/HTTP trace receiver: records every export; `stall` makes it accept connections and never answer. */
class OtlpReceiver {
  readonly exports: ReceivedExport[] = [];
  stall = false;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  url = '';

  constructor() {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.stall) return;
        this.exports.push({ contentType: String(req.headers['content-type']), authorization: req.headers.authorization, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': String(req.headers['content-type']) }).end(req.headers['content-type'] === 'application/json' ? '{}' : '');
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  spans(): OtlpSpan[] {
    const out: OtlpSpan[] = [];
    for (const e of this.exports) {
      if (e.contentType !== 'application/json') continue;
      const doc = JSON.parse(e.body.toString('utf8')) as { resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
      for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) out.push(...ss.spans);
    }
    return out;
  }

  resourceAttributes(): OtlpAttribute[] {
    const e = this.exports.find((x) => x.contentType === 'application/json');
    return e ? (JSON.parse(e.body.toString('utf8')) as { resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] } }> }).resourceSpans[0].resource.attributes : [];
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const attr = (span: OtlpSpan, key: string): unknown => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.arrayValue) return v.arrayValue.values.map((x) => x.stringValue);
  return v.stringValue ?? v.doubleValue ?? v.boolValue;
};

const hex = (bytes: number): string => Array.from({ length: bytes * 2 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** gatehouse_otel_spans_dropped_total over both reasons, from the gateway's /metrics. */
async function droppedSpans(gw: Gateway): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('gatehouse_otel_spans_dropped_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(async () => {
  await mock?.close();
});
beforeEach(() => mock.reset());

interface CollectorGateway {
  receiver: OtlpReceiver;
  gw: Gateway;
  openai: OpenAI;
}

/** A standalone gateway (one worker) exporting to a fresh local receiver, for the describe block it is called in. */
function gatewayWithCollector(otlp: (receiverUrl: string) => Record<string, unknown>, env: (receiverUrl: string) => Record<string, string> = () => ({})): CollectorGateway {
  const f = { receiver: new OtlpReceiver() } as CollectorGateway;
  beforeAll(async () => {
    await f.receiver.start();
    f.gw = await startGateway(
      { mockUrl: mock.url, keys: [{ name: 'otel-app', secret: KEY, team: 'search' }], sections: { telemetry: { otlp: otlp(f.receiver.url) } } },
      { GATEHOUSE_WORKERS: '1', ...env(f.receiver.url) },
    );
    f.openai = new OpenAI({ apiKey: KEY, baseURL: `${f.gw.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await f.gw?.stop();
    await f.receiver.close();
  });
  return f;
}

describe('OpenTelemetry export over OTLP/HTTP JSON', () => {
  const f = gatewayWithCollector(
    () => ({ protocol: 'http/json', export_interval_ms: 50 }),
    (url) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${COLLECTOR_TOKEN}`, OTEL_SERVICE_NAME: 'gatehouse-e2e' }),
  );

  it("exports one span per request with the GenAI attributes, Gatehouse's cost, team and key, and the caller's trace as parent", async () => {
    const calls: Array<{ traceId: string; parent: string; requestId: string }> = [];
    for (let i = 0; i < 3; i++) {
      const traceId = hex(16);
      const parent = hex(8);
      mock.enqueue({ text: `hello ${i}`, usage: { input: 120 + i, output: 30 + i } });
      const { response } = await f.openai.chat.completions
        .create({ model: 'openai-model', messages: [{ role: 'user', content: `hi ${i}` }] }, { headers: { traceparent: `00-${traceId}-${parent}-01` } })
        .withResponse();
      calls.push({ traceId, parent, requestId: response.headers.get('x-gatehouse-request-id')! });
    }
    const spans = await waitFor('three spans', () => {
      const got = f.receiver.spans().filter((s) => calls.some((c) => c.requestId === attr(s, 'gatehouse.request_id')));
      return got.length >= 3 ? got : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    for (const [i, c] of calls.entries()) {
      const mine = f.receiver.spans().filter((s) => attr(s, 'gatehouse.request_id') === c.requestId);
      expect(mine).toHaveLength(1);
      const span = mine[0];
      const trace = await f.gw.trace(c.requestId);
      expect(span.traceId).toBe(c.traceId);
      expect(span.parentSpanId).toBe(c.parent);
      expect(span.spanId).toBe(trace.span_id);
      expect(span.name).toBe('chat openai-model');
      expect(span.kind).toBe(2);
      expect(attr(span, 'gen_ai.operation.name')).toBe('chat');
      expect(attr(span, 'gen_ai.provider.name')).toBe('openai');
      expect(attr(span, 'gen_ai.request.model')).toBe('openai-model');
      expect(attr(span, 'gen_ai.response.model')).toBe('gpt-4o-mini');
      expect(attr(span, 'gen_ai.usage.input_tokens')).toBe(120 + i);
      expect(attr(span, 'gen_ai.usage.output_tokens')).toBe(30 + i);
      expect(attr(span, 'gatehouse.cost_usd')).toBeCloseTo(trace.cost_usd as number, 12);
      expect(attr(span, 'gatehouse.cost_usd')).toBeGreaterThan(0);
      expect(attr(span, 'gatehouse.team')).toBe('search');
      expect(attr(span, 'gatehouse.key_name')).toBe('otel-app');
      expect(attr(span, 'gatehouse.key_id')).toBe(trace.key_id);
      expect(attr(span, 'gatehouse.guardrails.action')).toBe('none');
      expect(attr(span, 'http.response.status_code')).toBe(200);
      const durationMs = Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1000n) / 1000;
      expect(durationMs).toBeCloseTo(trace.latency_ms as number, 0);
    }
    expect(JSON.stringify(spans)).not.toContain(KEY);
    expect(JSON.stringify(spans)).not.toContain(UPSTREAM_KEYS.openai);
    expect(f.receiver.resourceAttributes()).toContainEqual({ key: 'service.name', value: { stringValue: 'gatehouse-e2e' } });
    expect(f.receiver.exports.every((e) => e.authorization === `Bearer ${COLLECTOR_TOKEN}`)).toBe(true);
    expect(f.gw.app.logs()).not.toContain(COLLECTOR_TOKEN);
  });

  it('starts a trace of its own without traceparent, marks an upstream failure, and covers the Anthropic dialect', async () => {
    const anthropic = new Anthropic({ apiKey: KEY, baseURL: f.gw.url, maxRetries: 0 });
    mock.enqueue({ usage: { input: 40, output: 9 } });
    const { response } = await anthropic.messages.create({ model: 'anthropic-model', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    const okId = response.headers.get('x-gatehouse-request-id')!;
    mock.enqueue({ status: 500, error_message: 'upstream exploded' });
    mock.enqueue({ status: 500, error_message: 'upstream exploded' });
    const failed = await f.openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: 'fail' }] }).withResponse().catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    const failedId = (failed as InstanceType<typeof OpenAI.APIError>).headers?.get('x-gatehouse-request-id');
    expect(failedId).toBeTruthy();
    const [ok, bad] = await waitFor('both spans', () => {
      const a = f.receiver.spans().find((s) => attr(s, 'gatehouse.request_id') === okId);
      const b = f.receiver.spans().find((s) => attr(s, 'gatehouse.request_id') === failedId);
      return a && b ? [a, b] : undefined;
    });
    expect(ok.parentSpanId ?? '').toBe('');
    expect(ok.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(attr(ok, 'gen_ai.provider.name')).toBe('anthropic');
    expect(attr(ok, 'gatehouse.client_format')).toBe('anthropic');
    expect(attr(ok, 'gen_ai.usage.output_tokens')).toBe(9);
    expect(attr(bad, 'http.response.status_code')).toBeGreaterThanOrEqual(500);
    expect(attr(bad, 'error.type')).toBeTruthy();
    expect(bad.status?.code).toBe(2);
  });

  it("does not export a request whose caller's traceparent says it is not sampled", async () => {
    const unsampledTrace = hex(16);
    await f.openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: 'quiet' }] }, { headers: { traceparent: `00-${unsampledTrace}-${hex(8)}-00` } });
    const sampledTrace = hex(16);
    await f.openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: 'loud' }] }, { headers: { traceparent: `00-${sampledTrace}-${hex(8)}-01` } });
    await waitFor('the sampled span', () => f.receiver.spans().find((s) => s.traceId === sampledTrace));
    expect(f.receiver.spans().filter((s) => s.traceId === unsampledTrace)).toHaveLength(0);
  });
});

describe('OpenTelemetry export with the default protocol (OTLP/HTTP protobuf) and a collector that stops answering', () => {
  const f = gatewayWithCollector((url) => ({ endpoint: url, export_interval_ms: 50, timeout_ms: 300, max_queue_size: 8, max_batch_size: 4 }));

  const timedRequests = async (n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = await f.openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: `req ${i}` }] });
      expect(r.choices[0].message.content).toBeTruthy();
      out.push(performance.now() - t0);
    }
    return out.sort((a, b) => a - b);
  };

  it('sends protobuf to <endpoint>/v1/traces, and with the collector hung requests succeed as fast as before while drops are counted', async () => {
    const traceId = hex(16);
    await f.openai.chat.completions.create({ model: 'openai-model', messages: [{ role: 'user', content: 'proto' }] }, { headers: { traceparent: `00-${traceId}-${hex(8)}-01` } });
    const proto = await waitFor('a protobuf export', () => f.receiver.exports.find((e) => e.body.includes(Buffer.from(traceId, 'hex'))));
    expect(proto.contentType).toBe('application/x-protobuf');
    expect(proto.body.includes(Buffer.from('gen_ai.request.model'))).toBe(true);

    const healthy = await timedRequests(20);
    const droppedBefore = await droppedSpans(f.gw);
    f.receiver.stall = true;
    const hung = await timedRequests(40);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
    expect(median(hung)).toBeLessThan(median(healthy) * 2 + 25);
    const dropped = await (async () => {
      const until = Date.now() + 5000;
      for (;;) {
        const d = await droppedSpans(f.gw);
        if (d - droppedBefore >= 30 || Date.now() > until) return d - droppedBefore;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    expect(dropped).toBeGreaterThanOrEqual(30);
    expect((await fetch(`${f.gw.url}/healthz`)).status).toBe(200);
  });
});
