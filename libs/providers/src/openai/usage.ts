import type { StopReason, Usage } from '@gatehouse/formats';

export interface OpenAIUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek reports cache hits at the top level. */
  prompt_cache_hit_tokens?: number | null;
}

/** OpenAI usage → canonical: prompt_tokens already includes cached tokens, completion_tokens reasoning. */
export function mapOpenAIUsage(u: OpenAIUsage): Usage {
  return {
    input_tokens: u.prompt_tokens ?? 0,
    output_tokens: u.completion_tokens ?? 0,
    cache_read_tokens: u.prompt_tokens_details?.cached_tokens ?? u.prompt_cache_hit_tokens ?? 0,
    cache_write_tokens: 0,
    reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

const FINISH: Readonly<Record<string, StopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'content_filter',
  eos: 'end_turn',
  model_length: 'max_tokens',
  error: 'error',
};

export const mapFinishReason = (reason: string | null | undefined): StopReason =>
  (reason ? FINISH[reason] : undefined) ?? 'end_turn';
