import type { Trace, Verdict } from '@gatehouse/contracts';

const HOUR_MS = 3_600_000;
/** Year 10000: from there toISOString writes an extended year. */
const LAST_PLAIN_MS = 253_402_300_800_000;
/** The last hour formatted: the traces of one batch mostly share it. */
let lastHour = NaN;
let lastHourText = '';
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * Epoch milliseconds as a ClickHouse DateTime64(3, 'UTC') literal: "2026-01-02 03:04:05.678". The
 * hour's "2026-01-02 03:" is formatted once per hour and the rest by hand (the ingest formats two per trace).
 */
export function toDateTime64(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= LAST_PLAIN_MS) return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const inHour = ms % HOUR_MS;
  const hour = ms - inHour;
  if (hour !== lastHour) {
    lastHourText = new Date(hour).toISOString().slice(0, 14).replace('T', ' ');
    lastHour = hour;
  }
  return `${lastHourText}${pad2(Math.floor(inHour / 60_000))}:${pad2(Math.floor(inHour / 1000) % 60)}.${pad3(inHour % 1000)}`;
}

/** The inverse of toDateTime64 (ClickHouse writes DateTime64(3, 'UTC') the same way in JSON output). */
export const fromDateTime64 = (s: string): number => Date.parse(`${s.replace(' ', 'T')}Z`);

const orNull = (s: string): string | null => (s === '' ? null : s);

/** A row of the traces table (JSONEachRow); column names follow 001_traces.sql. */
export interface TraceRow {
  request_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  ts_start: string;
  ts_end: string;
  latency_ms: number;
  ttft_ms: number | null;
  status: number;
  error_type: string;
  client_format: string;
  endpoint: string;
  model_requested: string;
  provider: string;
  model_upstream: string;
  attempts: number;
  attempt_details: string;
  key_id: string;
  key_name: string;
  team: string;
  metadata: Record<string, string>;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number | null;
  cost_saved_usd: number;
  cost_input_usd: number;
  cost_output_usd: number;
  cost_cached_input_usd: number;
  cost_cache_write_usd: number;
  cost_reasoning_usd: number;
  pricing_unknown: boolean;
  cache_hit: boolean;
  /** '' for BYPASS (the column default, see 005_response_cache.sql). */
  cache_status: string;
  stream: boolean;
  guardrail_action: string;
  guardrail_policies: string;
  guardrail_flagged: number;
  guardrail_redacted: number;
  guardrail_denied: number;
  request_body: string | null;
  response_body: string | null;
}

/** Nullable strings become '' in LowCardinality columns (null team = "no team"). */
export function traceToRow(t: Trace): TraceRow {
  return {
    request_id: t.request_id,
    trace_id: t.trace_id,
    span_id: t.span_id,
    parent_span_id: t.parent_span_id ?? '',
    ts_start: toDateTime64(t.ts_start),
    ts_end: toDateTime64(t.ts_end),
    latency_ms: t.latency_ms,
    ttft_ms: t.ttft_ms,
    status: t.status,
    error_type: t.error_type ?? '',
    client_format: t.client_format,
    endpoint: t.endpoint,
    model_requested: t.model_requested,
    provider: t.provider ?? '',
    model_upstream: t.model_upstream ?? '',
    attempts: t.attempts,
    attempt_details: JSON.stringify(t.attempt_details),
    key_id: t.key_id ?? '',
    key_name: t.key_name ?? '',
    team: t.team ?? '',
    metadata: t.metadata,
    input_tokens: t.input_tokens,
    output_tokens: t.output_tokens,
    cached_tokens: t.cached_tokens,
    cache_write_tokens: t.cache_write_tokens,
    reasoning_tokens: t.reasoning_tokens,
    cost_usd: t.cost_usd,
    cost_saved_usd: t.cost_saved_usd,
    cost_input_usd: t.cost?.input_usd ?? 0,
    cost_output_usd: t.cost?.output_usd ?? 0,
    cost_cached_input_usd: t.cost?.cached_input_usd ?? 0,
    cost_cache_write_usd: t.cost?.cache_write_usd ?? 0,
    cost_reasoning_usd: t.cost?.reasoning_usd ?? 0,
    pricing_unknown: t.pricing_unknown,
    cache_hit: t.cache_hit,
    cache_status: t.cache_status === 'BYPASS' ? '' : t.cache_status,
    stream: t.stream,
    guardrail_action: t.guardrails.action,
    guardrail_policies: JSON.stringify(t.guardrails.policies),
    guardrail_flagged: t.guardrails.flagged,
    guardrail_redacted: t.guardrails.redacted,
    guardrail_denied: t.guardrails.denied,
    request_body: t.request_body,
    response_body: t.response_body,
  };
}

/** The inverse of traceToRow: a stored traces row (every column, as JSONEachRow returns it) back to the trace event. */
export function traceFromRow(r: TraceRow): Trace {
  return {
    request_id: r.request_id,
    trace_id: r.trace_id,
    span_id: r.span_id,
    parent_span_id: orNull(r.parent_span_id),
    ts_start: fromDateTime64(r.ts_start),
    ts_end: fromDateTime64(r.ts_end),
    latency_ms: r.latency_ms,
    ttft_ms: r.ttft_ms,
    status: r.status,
    error_type: orNull(r.error_type),
    client_format: r.client_format as Trace['client_format'],
    endpoint: r.endpoint as Trace['endpoint'],
    model_requested: r.model_requested,
    provider: orNull(r.provider),
    model_upstream: orNull(r.model_upstream),
    attempts: r.attempts,
    attempt_details: parseJson(r.attempt_details, []) as Trace['attempt_details'],
    key_id: orNull(r.key_id),
    key_name: orNull(r.key_name),
    team: orNull(r.team),
    metadata: r.metadata,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    cached_tokens: r.cached_tokens,
    cache_write_tokens: r.cache_write_tokens,
    reasoning_tokens: r.reasoning_tokens,
    cost_usd: r.cost_usd,
    cost_saved_usd: r.cost_saved_usd,
    cost: r.cost_usd === null ? null : {
      input_usd: r.cost_input_usd,
      output_usd: r.cost_output_usd,
      cached_input_usd: r.cost_cached_input_usd,
      cache_write_usd: r.cost_cache_write_usd,
      reasoning_usd: r.cost_reasoning_usd,
    },
    pricing_unknown: r.pricing_unknown,
    cache_hit: r.cache_hit,
    cache_status: r.cache_status === '' ? 'BYPASS' : (r.cache_status as Trace['cache_status']),
    stream: r.stream,
    guardrails: {
      action: r.guardrail_action as Trace['guardrails']['action'],
      policies: parseJson(r.guardrail_policies, []) as Trace['guardrails']['policies'],
      flagged: r.guardrail_flagged,
      redacted: r.guardrail_redacted,
      denied: r.guardrail_denied,
    },
    request_body: r.request_body,
    response_body: r.response_body,
  };
}

function parseJson(s: string, fallback: unknown): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return fallback;
  }
}

export interface VerdictRow {
  verdict_id: string;
  request_id: string;
  ts: string;
  policy_id: string;
  policy_version: number;
  check_index: number;
  check_type: string;
  stage: string;
  action: string;
  outcome: string;
  mode: string;
  applied: boolean;
  score: number | null;
  details: string[];
  async: boolean;
  key_id: string;
  team: string;
  model: string;
}

export function verdictToRow(v: Verdict): VerdictRow {
  return {
    verdict_id: v.verdict_id,
    request_id: v.request_id,
    ts: toDateTime64(v.ts),
    policy_id: v.policy_id,
    policy_version: v.policy_version,
    check_index: v.check_index,
    check_type: v.check_type,
    stage: v.stage,
    action: v.action,
    outcome: v.outcome,
    mode: v.mode,
    applied: v.applied,
    score: v.score,
    details: v.details,
    async: v.async,
    key_id: v.key_id ?? '',
    team: v.team ?? '',
    model: v.model ?? '',
  };
}

/** The columns of each row type in insert order (JSONCompactEachRow); the Record types make the lists complete. */
const TRACE_ROW_KEYS: Record<keyof TraceRow, true> = {
  request_id: true, trace_id: true, span_id: true, parent_span_id: true, ts_start: true, ts_end: true,
  latency_ms: true, ttft_ms: true, status: true, error_type: true, client_format: true, endpoint: true,
  model_requested: true, provider: true, model_upstream: true, attempts: true, attempt_details: true, key_id: true,
  key_name: true, team: true, metadata: true, input_tokens: true, output_tokens: true, cached_tokens: true,
  cache_write_tokens: true, reasoning_tokens: true, cost_usd: true, cost_saved_usd: true, cost_input_usd: true, cost_output_usd: true,
  cost_cached_input_usd: true, cost_cache_write_usd: true, cost_reasoning_usd: true, pricing_unknown: true,
  cache_hit: true, cache_status: true, stream: true, guardrail_action: true, guardrail_policies: true, guardrail_flagged: true,
  guardrail_redacted: true, guardrail_denied: true, request_body: true, response_body: true,
};
export const TRACE_ROW_COLUMNS = Object.keys(TRACE_ROW_KEYS) as (keyof TraceRow)[];

/** The fields that may hold null, i.e. the Nullable columns (their default is NULL, not 0 or ''). */
type NullableKeys<R> = { [K in keyof R]-?: null extends R[K] ? K : never }[keyof R];
const TRACE_NULLABLE_KEYS: Record<NullableKeys<TraceRow>, true> = { ttft_ms: true, cost_usd: true, request_body: true, response_body: true };
export const TRACE_NULLABLE_COLUMNS = Object.keys(TRACE_NULLABLE_KEYS) as (keyof TraceRow)[];

const VERDICT_ROW_KEYS: Record<keyof VerdictRow, true> = {
  verdict_id: true, request_id: true, ts: true, policy_id: true, policy_version: true, check_index: true,
  check_type: true, stage: true, action: true, outcome: true, mode: true, applied: true, score: true, details: true,
  async: true, key_id: true, team: true, model: true,
};
export const VERDICT_ROW_COLUMNS = Object.keys(VERDICT_ROW_KEYS) as (keyof VerdictRow)[];
const VERDICT_NULLABLE_KEYS: Record<NullableKeys<VerdictRow>, true> = { score: true };
export const VERDICT_NULLABLE_COLUMNS = Object.keys(VERDICT_NULLABLE_KEYS) as (keyof VerdictRow)[];
