import type { CanonicalResponse, TextPart, ThinkingPart, ToolCallPart } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import { mapAnthropicUsage, mapStopReason, type AnthropicUsage } from './usage';

type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature?: string }
  | { type: string };

interface AnthropicMessage {
  id?: string;
  type?: string;
  model?: string;
  content?: AnthropicBlock[];
  stop_reason?: string | null;
  stop_sequence?: string | null;
  usage?: AnthropicUsage;
}

const malformed = (why: string) => new GatewayError(502, 'upstream_error', `upstream returned a malformed message: ${why}`);

/** Anthropic Messages JSON → CanonicalResponse. Redacted thinking has no canonical form and is left out. */
export function parseMessage(body: string, upstreamModel: string): CanonicalResponse {
  let json: AnthropicMessage;
  try {
    json = JSON.parse(body) as AnthropicMessage;
  } catch {
    throw malformed('not JSON');
  }
  if (!Array.isArray(json.content)) throw malformed('no content');
  const content: Array<TextPart | ToolCallPart | ThinkingPart> = [];
  for (const b of json.content) {
    if (b.type === 'text' && 'text' in b) content.push({ type: 'text', text: b.text });
    else if (b.type === 'tool_use' && 'id' in b) content.push({ type: 'tool_call', id: b.id, name: b.name, arguments: JSON.stringify(b.input ?? {}) });
    else if (b.type === 'thinking' && 'thinking' in b) {
      content.push(b.signature ? { type: 'thinking', text: b.thinking, signature: b.signature } : { type: 'thinking', text: b.thinking });
    }
  }
  return {
    id: json.id ?? '',
    model: json.model || upstreamModel,
    content,
    stop_reason: mapStopReason(json.stop_reason),
    stop_sequence: json.stop_sequence ?? null,
    usage: mapAnthropicUsage(json.usage ?? {}),
  };
}
