/** A stored traces row as the detail query selects it. */
export interface TraceDetailRow {
  attempt_details: string;
  guardrail_action: string;
  guardrail_policies: string;
  guardrail_flagged: number;
  guardrail_redacted: number;
  guardrail_denied: number;
  cost_usd: number | null;
  cost_input_usd: number;
  cost_output_usd: number;
  cost_cached_input_usd: number;
  cost_cache_write_usd: number;
  cost_reasoning_usd: number;
  [column: string]: unknown;
}

const parseJson = (s: string, fallback: unknown): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return fallback;
  }
};

/** Back to the shape of the trace event (guardrails and cost as objects, attempts as an array). */
export function traceDetailFromRow(row: TraceDetailRow): Record<string, unknown> {
  const {
    attempt_details, guardrail_action, guardrail_policies, guardrail_flagged, guardrail_redacted, guardrail_denied,
    cost_input_usd, cost_output_usd, cost_cached_input_usd, cost_cache_write_usd, cost_reasoning_usd, ...rest
  } = row;
  return {
    ...rest,
    attempt_details: parseJson(attempt_details, []),
    cost: row.cost_usd === null ? null : {
      input_usd: cost_input_usd,
      output_usd: cost_output_usd,
      cached_input_usd: cost_cached_input_usd,
      cache_write_usd: cost_cache_write_usd,
      reasoning_usd: cost_reasoning_usd,
    },
    guardrails: {
      action: guardrail_action,
      policies: parseJson(guardrail_policies, []),
      flagged: guardrail_flagged,
      redacted: guardrail_redacted,
      denied: guardrail_denied,
    },
  };
}
