import type { Trace } from '@gatehouse/contracts';

/** Trace number i (ending near `now`), varied the way a gateway's traffic is: 30 models, 3 providers, 500 keys, 50 teams, 10,000 users. */
export function syntheticTrace(i: number, now: number): Trace {
  const ts = now - (i % 3_600_000);
  return {
    request_id: `ingest-${i}`, trace_id: i.toString(16).padStart(32, '0'), span_id: i.toString(16).padStart(16, '0'), parent_span_id: null,
    ts_start: ts, ts_end: ts + 300, latency_ms: 300 + (i % 700), ttft_ms: 80 + (i % 90), status: i % 50 === 0 ? 502 : 200,
    error_type: i % 50 === 0 ? 'upstream_error' : null, client_format: 'openai', endpoint: 'chat',
    model_requested: `model-${i % 30}`, provider: ['openai', 'anthropic', 'gemini'][i % 3], model_upstream: `model-${i % 30}`,
    attempts: 1, attempt_details: [{ provider: 'openai', model: `model-${i % 30}`, status: 200, error_type: null, latency_ms: 290 }],
    key_id: `key-${i % 500}`, key_name: `key-${i % 500}`, team: `team-${i % 50}`, metadata: { user: `u${i % 10_000}`, feature: `f${i % 20}` },
    input_tokens: 200 + (i % 1800), output_tokens: 50 + (i % 700), cached_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0,
    cost_usd: 0.0012, cost: { input_usd: 0.0008, output_usd: 0.0004, cached_input_usd: 0, cache_write_usd: 0, reasoning_usd: 0 },
    pricing_unknown: false, cache_hit: false, cache_status: 'BYPASS', cost_saved_usd: 0, stream: i % 2 === 0,
    guardrails: { action: 'none', policies: [], flagged: 0, redacted: 0, denied: 0 }, request_body: null, response_body: null,
  };
}
