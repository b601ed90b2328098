import { unsupportedField } from '@gatehouse/contracts';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '@gatehouse/formats';
import type { StreamParser } from '../provider';

/**
 * Structured output for providers without a JSON mode (Anthropic, Bedrock): the requested JSON
 * schema becomes the input schema of one tool the model is forced to call, and that call's
 * arguments come back to the client as the message text, stop reason end_turn. The tool's name is
 * reserved, so the answer side needs no state: a call of it is always the structured answer.
 */
export const STRUCTURED_TOOL = 'gatehouse_structured_output';

/** The request with response_format turned into the forced tool; unchanged when there is none. */
export function withStructuredTool(req: CanonicalRequest, provider: string): CanonicalRequest {
  const format = req.response_format;
  if (!format || format.type === 'text') return req;
  if (req.tools && req.tools.length > 0) throw unsupportedField(`response_format.${format.type}`, provider, 'together with tools');
  if (req.thinking || req.reasoning_effort) throw unsupportedField(`response_format.${format.type}`, provider, 'with thinking or reasoning_effort (a forced tool call excludes thinking)');
  const schema = format.type === 'json_schema' ? format.schema : { type: 'object', additionalProperties: true };
  const description = format.type === 'json_schema' ? `Answer with ${format.name}: the response as JSON matching this schema.` : 'Answer with the response as a JSON object.';
  const out: CanonicalRequest = { ...req, tools: [{ name: STRUCTURED_TOOL, description, parameters: schema }], tool_choice: { type: 'tool', name: STRUCTURED_TOOL } };
  delete out.response_format;
  return out;
}

/** A call of the structured tool becomes text (its arguments, the JSON answer). */
export function structuredResponse(res: CanonicalResponse): CanonicalResponse {
  if (!res.content.some((p) => p.type === 'tool_call' && p.name === STRUCTURED_TOOL)) return res;
  const content = res.content.map((p) => (p.type === 'tool_call' && p.name === STRUCTURED_TOOL ? { type: 'text' as const, text: p.arguments } : p));
  return { ...res, content, stop_reason: res.stop_reason === 'tool_use' ? 'end_turn' : res.stop_reason };
}

/** Streams: the structured tool's argument deltas become text deltas of the same block. */
export class StructuredStreamParser implements StreamParser {
  private readonly blocks = new Set<number>();

  constructor(private readonly inner: StreamParser) {}

  push(chunk: Uint8Array): StreamEvent[] {
    return this.map(this.inner.push(chunk));
  }

  end(): StreamEvent[] {
    return this.map(this.inner.end());
  }

  private map(events: StreamEvent[]): StreamEvent[] {
    if (this.blocks.size === 0 && !events.some((e) => e.type === 'tool_call_start' && e.name === STRUCTURED_TOOL)) return events;
    const out: StreamEvent[] = [];
    for (const e of events) {
      if (e.type === 'tool_call_start' && e.name === STRUCTURED_TOOL) this.blocks.add(e.index);
      else if (e.type === 'tool_call_delta' && this.blocks.has(e.index)) out.push({ type: 'text_delta', index: e.index, text: e.arguments });
      else if (e.type === 'stop' && e.stop_reason === 'tool_use') out.push({ ...e, stop_reason: 'end_turn' });
      else out.push(e);
    }
    return out;
  }
}
