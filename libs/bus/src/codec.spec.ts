import { ALL_TOPICS, TracesTopic, type Trace } from '@gatehouse/contracts';
import { decodeValue, encodeValue } from './codec';

const trace = (): Trace => ({
  request_id: '6f1d2c3b-0000-4000-8000-000000000001',
  trace_id: '0af7651916cd43dd8448eb211c80319c',
  span_id: 'b7ad6b7169203331',
  parent_span_id: null,
  ts_start: 1_796_000_000_000,
  ts_end: 1_796_000_000_002,
  latency_ms: 1.5,
  ttft_ms: 1.2,
  status: 200,
  error_type: null,
  client_format: 'openai',
  endpoint: 'chat',
  model_requested: 'gpt-4o-mini',
  provider: 'mock',
  model_upstream: 'gpt-4o-mini',
  attempts: 1,
  attempt_details: [{ provider: 'mock', model: 'gpt-4o-mini', status: 200, error_type: null, latency_ms: 1.1, breaker: 'closed' }],
  key_id: 'k1',
  key_name: 'bench',
  team: 'search',
  metadata: { feature: 'chat' },
  input_tokens: 10,
  output_tokens: 20,
  cached_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: 0.0001,
  cost: { input_usd: 0.00001, output_usd: 0.00009, cached_input_usd: 0, cache_write_usd: 0, reasoning_usd: 0 },
  pricing_unknown: false,
  cache_hit: false,
  cache_status: 'BYPASS',
  cost_saved_usd: 0,
  stream: false,
  guardrails: { action: 'none', policies: [{ id: 'pii', version: 3 }], flagged: 0, redacted: 0, denied: 0 },
  request_body: null,
  response_body: 'héllo',
});

/** What zod alone makes of a value (the encoding before plain topics had a compiled check): its JSON, or its error. */
function zodEncoding(value: unknown): string {
  const r = TracesTopic.schema.safeParse(value);
  return r.success ? JSON.stringify(r.data) : 'invalid';
}

function encoding(value: unknown): string {
  try {
    return encodeValue(TracesTopic, value as Trace) ?? 'null';
  } catch {
    return 'invalid';
  }
}

/** Each changes one field of a valid trace; the compiled check and zod must agree on all of them. */
const MUTATIONS: Array<[string, (t: Record<string, unknown>) => void]> = [
  ['valid as built', () => undefined],
  ['empty request_id', (t) => (t.request_id = '')],
  ['negative latency', (t) => (t.latency_ms = -1)],
  ['NaN latency', (t) => (t.latency_ms = Number.NaN)],
  ['infinite ttft', (t) => (t.ttft_ms = Number.POSITIVE_INFINITY)],
  ['fractional tokens', (t) => (t.input_tokens = 1.5)],
  ['negative tokens', (t) => (t.output_tokens = -3)],
  ['unsafe integer ts', (t) => (t.ts_start = 2 ** 60)],
  ['status above 999', (t) => (t.status = 1000)],
  ['unknown endpoint', (t) => (t.endpoint = 'files')],
  ['unknown client format', (t) => (t.client_format = 'gemini')],
  ['string status', (t) => (t.status = '200')],
  ['null model_requested', (t) => (t.model_requested = null)],
  ['missing stream', (t) => delete t.stream],
  ['missing defaulted cache_status', (t) => delete t.cache_status],
  ['missing defaulted cost_saved_usd', (t) => delete t.cost_saved_usd],
  ['unknown top-level key', (t) => (t.secret = 'sk-live-should-not-travel')],
  ['unknown key in an attempt', (t) => ((t.attempt_details as Record<string, unknown>[])[0].extra = 1)],
  ['attempt without breaker', (t) => delete (t.attempt_details as Record<string, unknown>[])[0].breaker],
  ['attempt with an unknown breaker', (t) => ((t.attempt_details as Record<string, unknown>[])[0].breaker = 'ajar')],
  ['number in metadata', (t) => (t.metadata = { n: 1 })],
  ['cost parts missing one', (t) => delete (t.cost as Record<string, unknown>).reasoning_usd],
  ['negative cost part', (t) => ((t.cost as Record<string, unknown>).input_usd = -0.1)],
  ['null cost', (t) => (t.cost = null)],
  ['guardrail count above 65535', (t) => ((t.guardrails as Record<string, unknown>).flagged = 70000)],
  ['fractional policy version', (t) => ((t.guardrails as { policies: Record<string, unknown>[] }).policies[0].version = 1.5)],
  ['array instead of object', (t) => (t.metadata = ['a'])],
];

describe('encodeValue', () => {
  it.each(MUTATIONS)('a trace with %s is encoded exactly as zod encodes it (or refused as zod refuses it)', (_name, mutate) => {
    const value = trace() as unknown as Record<string, unknown>;
    mutate(value);
    expect(encoding(value)).toBe(zodEncoding(value));
  });

  it('drops unknown keys and fills defaults the way zod does', () => {
    const value = { ...trace(), secret: 'sk-live-x' } as Record<string, unknown>;
    delete value.cache_status;
    const out = JSON.parse(encodeValue(TracesTopic, value as unknown as Trace)!);
    expect(out.secret).toBeUndefined();
    expect(out.cache_status).toBe('BYPASS');
  });

  it('names the invalid field in the error', () => {
    const value = { ...trace(), input_tokens: -1 };
    expect(() => encodeValue(TracesTopic, value)).toThrow(/gatehouse\.traces\.v1: input_tokens: /);
  });

  it('checks only the per-request trace topic with the compiled schema', () => {
    const plain = ALL_TOPICS.filter((t) => t.plain).map((t) => t.name);
    expect(plain).toEqual(['gatehouse.traces.v1']);
  });
});

describe('decodeValue', () => {
  it.each(MUTATIONS)('a consumed trace with %s decodes exactly as zod parses it (or is refused as zod refuses it)', (_name, mutate) => {
    const value = trace() as unknown as Record<string, unknown>;
    mutate(value);
    // JSON drops what it cannot carry (NaN and Infinity become null), as on the wire.
    const raw = JSON.stringify(value);
    const zod = TracesTopic.schema.safeParse(JSON.parse(raw));
    const decoded = decodeValue(TracesTopic, raw);
    expect(decoded.ok).toBe(zod.success);
    if (decoded.ok && zod.success) expect(decoded.value).toEqual(zod.data);
  });

  it("fills a defaulted field an older producer's trace lacks, and names the invalid field of a refused one", () => {
    const old = trace() as unknown as Record<string, unknown>;
    delete old.cache_status;
    const decoded = decodeValue(TracesTopic, JSON.stringify(old));
    expect(decoded).toMatchObject({ ok: true, value: { cache_status: 'BYPASS' } });
    expect(decodeValue(TracesTopic, JSON.stringify({ ...trace(), input_tokens: -1 }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^schema: input_tokens: /) });
  });
});
