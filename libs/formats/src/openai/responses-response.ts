import type { CanonicalResponse, StopReason, Usage } from '../canonical';

/** Canonical usage as the Responses API reports it (input_tokens include cached tokens). */
export function responsesUsage(u: Usage) {
  return {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cache_read_tokens },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens },
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

/** `status` and `incomplete_details` of a finished response. */
export function responsesStatus(reason: StopReason): { status: 'completed' | 'incomplete'; incomplete_details: { reason: string } | null } {
  if (reason === 'max_tokens') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** Output item ids derived from the response id, so a response's items are stable and unique. */
export const itemId = (prefix: 'msg' | 'fc' | 'rs', responseId: string, n: number) => `${prefix}_${responseId.replace(/^resp_/, '')}_${n}`;

/** The fields of a `response` object that do not depend on its output. */
export function responseEnvelope(id: string, model: string, createdAt: number): Record<string, unknown> {
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    metadata: {},
    model,
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: null,
  };
}

export type ResponsesOutputItem =
  | { type: 'message'; id: string; status: 'completed'; role: 'assistant'; content: Array<{ type: 'output_text'; text: string; annotations: []; logprobs: [] }> }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: 'completed' }
  | { type: 'reasoning'; id: string; summary: Array<{ type: 'summary_text'; text: string }> };

/**
 * A `response` object (non-streaming POST /v1/responses). Consecutive text parts form one
 * assistant message item; each tool call is a function_call item; thinking text becomes a
 * reasoning item's summary (redacted thinking has no readable text and is left out).
 */
export function encodeOpenAIResponse(res: CanonicalResponse, opts: { id: string; model: string; createdAt: number }): object {
  const output: ResponsesOutputItem[] = [];
  let message: Extract<ResponsesOutputItem, { type: 'message' }> | null = null;
  let text = '';
  for (const part of res.content) {
    if (part.type === 'text') {
      if (!message) {
        message = { type: 'message', id: itemId('msg', opts.id, output.length), status: 'completed', role: 'assistant', content: [] };
        output.push(message);
      }
      message.content.push({ type: 'output_text', text: part.text, annotations: [], logprobs: [] });
      text += part.text;
      continue;
    }
    message = null;
    if (part.type === 'tool_call') {
      output.push({ type: 'function_call', id: itemId('fc', opts.id, output.length), call_id: part.id, name: part.name, arguments: part.arguments, status: 'completed' });
    } else if (!part.redacted) {
      output.push({ type: 'reasoning', id: itemId('rs', opts.id, output.length), summary: [{ type: 'summary_text', text: part.text }] });
    }
  }
  return {
    ...responseEnvelope(opts.id, opts.model, opts.createdAt),
    ...responsesStatus(res.stop_reason),
    output,
    output_text: text,
    usage: responsesUsage(res.usage),
  };
}
