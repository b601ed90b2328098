import type { CanonicalResponse, StopReason, StreamEvent, TextPart, ThinkingPart, ToolCallPart, Usage } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import type { StreamParser } from '../provider';
import { maskSecrets } from '../shared/redact';
import { SseDecoder } from '../shared/sse';

/** Upstream Responses API shapes the gateway reads (for usage, guardrails and the trace); unknown fields are ignored. */
interface ResponsesUsage {
  input_tokens?: number;
  input_tokens_details?: { cached_tokens?: number } | null;
  output_tokens?: number;
  output_tokens_details?: { reasoning_tokens?: number } | null;
}

interface OutputItem {
  type?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  content?: Array<{ type?: string; text?: string; refusal?: string }>;
  summary?: Array<{ text?: string }>;
}

interface ResponseObject {
  id?: string;
  model?: string;
  status?: string;
  incomplete_details?: { reason?: string } | null;
  output?: OutputItem[];
  usage?: ResponsesUsage | null;
  error?: { code?: string; message?: string } | null;
}

export function mapResponsesUsage(u: ResponsesUsage | null | undefined): Usage {
  return {
    input_tokens: u?.input_tokens ?? 0,
    output_tokens: u?.output_tokens ?? 0,
    cache_read_tokens: u?.input_tokens_details?.cached_tokens ?? 0,
    cache_write_tokens: 0,
    reasoning_tokens: u?.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

function stopReason(r: ResponseObject, calledTools: boolean): StopReason {
  if (r.status === 'incomplete') return r.incomplete_details?.reason === 'content_filter' ? 'content_filter' : 'max_tokens';
  if (r.status === 'failed') return 'error';
  return calledTools ? 'tool_use' : 'end_turn';
}

/** A Responses API `response` object → CanonicalResponse (what guardrails, usage and the trace read). */
export function parseResponsesResult(body: string, upstreamModel: string): CanonicalResponse {
  let r: ResponseObject;
  try {
    r = JSON.parse(body) as ResponseObject;
  } catch {
    throw new GatewayError(502, 'upstream_error', 'upstream returned a malformed response: not JSON');
  }
  if (!Array.isArray(r.output)) throw new GatewayError(502, 'upstream_error', 'upstream returned a malformed response: no output');
  const content: Array<TextPart | ToolCallPart | ThinkingPart> = [];
  for (const item of r.output) {
    if (item.type === 'reasoning') {
      const text = (item.summary ?? []).map((s) => s.text ?? '').join('');
      if (text) content.push({ type: 'thinking', text });
    } else if (item.type === 'message') {
      const text = (item.content ?? []).map((c) => c.text ?? c.refusal ?? '').join('');
      if (text) content.push({ type: 'text', text });
    } else if (item.type === 'function_call') {
      content.push({ type: 'tool_call', id: item.call_id ?? '', name: item.name ?? '', arguments: item.arguments ?? '' });
    }
  }
  return {
    id: r.id ?? '',
    model: r.model || upstreamModel,
    content,
    stop_reason: stopReason(r, content.some((p) => p.type === 'tool_call')),
    usage: mapResponsesUsage(r.usage),
  };
}

interface StreamData {
  type?: string;
  output_index?: number;
  item?: OutputItem;
  delta?: string;
  response?: ResponseObject;
  code?: string | null;
  message?: string;
}

/**
 * Responses API SSE (typed events) → canonical events, for a stream relayed unchanged to a
 * Responses client: one block per output item (its output_index), usage and stop from the final
 * `response.completed` / `response.incomplete` / `response.failed`.
 */
export class ResponsesStreamParser implements StreamParser {
  private readonly sse = new SseDecoder();
  private readonly open = new Set<number>();
  private calledTools = false;
  private finished = false;

  constructor(private readonly upstreamModel: string) {}

  push(chunk: Uint8Array): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const m of this.sse.push(chunk)) this.onData(m.data, out);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const m of this.sse.end()) this.onData(m.data, out);
    if (!this.finished) out.push({ type: 'error', error: { type: 'upstream_stream_error', message: 'the upstream stream ended before response.completed' } });
    return out;
  }

  private onData(data: string, out: StreamEvent[]): void {
    let ev: StreamData;
    try {
      ev = JSON.parse(data) as StreamData;
    } catch {
      return;
    }
    const index = ev.output_index ?? 0;
    switch (ev.type) {
      case 'response.created':
        out.push({ type: 'start', id: ev.response?.id ?? '', model: ev.response?.model || this.upstreamModel });
        return;
      case 'response.output_item.added':
        if (ev.item?.type === 'function_call') {
          this.calledTools = true;
          this.open.add(index);
          out.push({ type: 'tool_call_start', index, id: ev.item.call_id ?? '', name: ev.item.name ?? '' });
        }
        return;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        this.open.add(index);
        if (ev.delta) out.push({ type: 'text_delta', index, text: ev.delta });
        return;
      case 'response.reasoning_summary_text.delta':
        this.open.add(index);
        if (ev.delta) out.push({ type: 'thinking_delta', index, text: ev.delta });
        return;
      case 'response.function_call_arguments.delta':
        if (ev.delta) out.push({ type: 'tool_call_delta', index, arguments: ev.delta });
        return;
      case 'response.output_item.done':
        if (this.open.delete(index)) out.push({ type: 'block_stop', index });
        return;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        const r = ev.response ?? {};
        this.finished = true;
        for (const i of this.open) out.push({ type: 'block_stop', index: i });
        this.open.clear();
        out.push({ type: 'usage', usage: mapResponsesUsage(r.usage) });
        if (ev.type === 'response.failed') {
          out.push({ type: 'error', error: { type: r.error?.code ?? 'upstream_error', message: maskSecrets(r.error?.message ?? 'the response failed') } });
        } else out.push({ type: 'stop', stop_reason: stopReason(r, this.calledTools) });
        return;
      }
      case 'error':
        this.finished = true;
        out.push({ type: 'error', error: { type: ev.code ?? 'upstream_error', message: maskSecrets(ev.message ?? 'upstream stream error') } });
        return;
    }
  }
}

/** A Responses client's body as sent, with only the model replaced (store, previous_response_id etc. never get here: the decoder refuses them). */
export const responsesPassthroughBody = (body: Record<string, unknown>, upstreamModel: string): Record<string, unknown> => ({ ...body, model: upstreamModel });
