import type { CanonicalResponse, StopReason, Usage } from '../canonical';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

const STOP_REASONS: Record<StopReason, AnthropicStopReason> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  content_filter: 'refusal',
  error: 'end_turn',
};

export function anthropicStopReason(reason: StopReason): AnthropicStopReason {
  return STOP_REASONS[reason];
}

/** Anthropic's input_tokens exclude cache reads and writes; the canonical count includes them. */
export function anthropicUsage(u: Usage) {
  return {
    input_tokens: Math.max(0, u.input_tokens - u.cache_read_tokens - u.cache_write_tokens),
    cache_creation_input_tokens: u.cache_write_tokens,
    cache_read_input_tokens: u.cache_read_tokens,
    output_tokens: u.output_tokens,
  };
}

/**
 * Tool arguments as the `input` object. Arguments that are not a JSON object (a model cut off by
 * max_tokens mid-call) are passed on as the raw string rather than dropped.
 */
export function toolInput(args: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

export function encodeAnthropicMessage(res: CanonicalResponse, opts: { id: string; model: string }): object {
  const content = res.content.map((part) => {
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'tool_call':
        return { type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments) };
      case 'thinking':
        return part.redacted
          ? { type: 'redacted_thinking', data: part.signature ?? '' }
          : { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
    }
  });
  return {
    id: opts.id,
    type: 'message',
    role: 'assistant',
    model: opts.model,
    content,
    stop_reason: anthropicStopReason(res.stop_reason),
    stop_sequence: res.stop_sequence ?? null,
    usage: anthropicUsage(res.usage),
  };
}
