import type { CanonicalResponse, StopReason, Usage } from '../canonical';

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

const FINISH_REASONS: Record<StopReason, OpenAIFinishReason> = {
  end_turn: 'stop',
  max_tokens: 'length',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  content_filter: 'content_filter',
  error: 'stop',
};

export function openAIFinishReason(reason: StopReason): OpenAIFinishReason {
  return FINISH_REASONS[reason];
}

/** Canonical usage as OpenAI reports it (prompt_tokens already include cached tokens). */
export function openAIUsage(u: Usage) {
  return {
    prompt_tokens: u.input_tokens,
    completion_tokens: u.output_tokens,
    total_tokens: u.input_tokens + u.output_tokens,
    prompt_tokens_details: { cached_tokens: u.cache_read_tokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning_tokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One choice's assistant message. */
function messageOf(content: CanonicalResponse['content']): Record<string, unknown> {
  let text = '';
  let hasText = false;
  let reasoning: string | undefined;
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      text += part.text;
      hasText = true;
    } else if (part.type === 'tool_call') {
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } });
    } else if (!part.redacted) {
      reasoning = (reasoning ?? '') + part.text;
    }
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: hasText || toolCalls.length === 0 ? text : null,
    refusal: null,
    annotations: [],
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  return message;
}

/**
 * A `chat.completion` object (one choice per canonical choice). Thinking text, which Chat Completions has no field for, is returned
 * as `reasoning_content` (the convention of DeepSeek, vLLM and OpenRouter); the decoder accepts
 * it back in assistant history.
 */
export function encodeOpenAIChat(res: CanonicalResponse, opts: { id: string; model: string; created: number }): object {
  const choices = [{ index: 0, message: messageOf(res.content), logprobs: null, finish_reason: openAIFinishReason(res.stop_reason) }];
  res.alternatives?.forEach((alt, i) =>
    choices.push({ index: i + 1, message: messageOf(alt.content), logprobs: null, finish_reason: openAIFinishReason(alt.stop_reason) }));
  return {
    id: opts.id,
    object: 'chat.completion',
    created: opts.created,
    model: opts.model,
    choices,
    usage: openAIUsage(res.usage),
    system_fingerprint: null,
  };
}
