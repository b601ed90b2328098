import type { StopReason, Usage } from '@gatehouse/formats';

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** Anthropic's input_tokens excludes cache reads and writes; canonical input includes them. */
export function mapAnthropicUsage(u: AnthropicUsage): Usage {
  const read = u.cache_read_input_tokens ?? 0;
  const write = u.cache_creation_input_tokens ?? 0;
  return {
    input_tokens: (u.input_tokens ?? 0) + read + write,
    output_tokens: u.output_tokens ?? 0,
    cache_read_tokens: read,
    cache_write_tokens: write,
    reasoning_tokens: 0,
  };
}

const STOP: Readonly<Record<string, StopReason>> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  pause_turn: 'end_turn',
  refusal: 'content_filter',
  model_context_window_exceeded: 'max_tokens',
};

export const mapStopReason = (reason: string | null | undefined): StopReason => (reason ? STOP[reason] : undefined) ?? 'end_turn';
