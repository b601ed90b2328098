import { randomUUID } from 'node:crypto';
import type { CanonicalResponse, StopReason, Usage } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import { ConverseResponseSchema, type ConverseUsage } from './wire';

export function converseStopReason(reason: string | undefined): StopReason {
  switch (reason) {
    case 'end_turn': return 'end_turn';
    case 'tool_use': return 'tool_use';
    case 'max_tokens':
    case 'model_context_window_exceeded': return 'max_tokens';
    case 'stop_sequence': return 'stop_sequence';
    case 'guardrail_intervened':
    case 'content_filtered': return 'content_filter';
    default: return 'end_turn';
  }
}

/**
 * Bedrock's inputTokens counts only the input that was neither read from nor written to the
 * prompt cache; AWS's prompt-caching guide gives total input = inputTokens + cacheReadInputTokens
 * + cacheWriteInputTokens. Canonical input_tokens is that total.
 */
export function converseUsage(u: ConverseUsage | undefined): Usage {
  const read = u?.cacheReadInputTokens ?? 0;
  const write = u?.cacheWriteInputTokens ?? 0;
  return {
    input_tokens: (u?.inputTokens ?? 0) + read + write,
    output_tokens: u?.outputTokens ?? 0,
    cache_read_tokens: read,
    cache_write_tokens: write,
    reasoning_tokens: 0,
  };
}

/** Converse bodies carry no id (it is in the x-amzn-requestid header), so one is generated. */
export const bedrockMessageId = (): string => `msg_bdrk_${randomUUID().replace(/-/g, '')}`;

export function parseConverseResponse(body: string, upstreamModel: string): CanonicalResponse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GatewayError(502, 'upstream_error', 'bedrock returned a body that is not JSON');
  }
  const parsed = ConverseResponseSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError(502, 'upstream_error', 'bedrock returned an unexpected response shape');
  const res = parsed.data;
  const content: CanonicalResponse['content'] = [];
  for (const block of res.output.message?.content ?? []) {
    if (block.text !== undefined) {
      if (block.text !== '') content.push({ type: 'text', text: block.text });
    } else if (block.toolUse) {
      content.push({ type: 'tool_call', id: block.toolUse.toolUseId, name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) });
    } else if (block.reasoningContent?.reasoningText) {
      const r = block.reasoningContent.reasoningText;
      content.push({ type: 'thinking', text: r.text ?? '', ...(r.signature ? { signature: r.signature } : {}) });
    }
  }
  return {
    id: bedrockMessageId(),
    model: upstreamModel,
    content,
    stop_reason: converseStopReason(res.stopReason),
    stop_sequence: null,
    usage: converseUsage(res.usage),
  };
}
