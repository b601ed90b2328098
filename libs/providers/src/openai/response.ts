import type { CanonicalResponse, TextPart, ThinkingPart, ToolCallPart } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import { mapFinishReason, mapOpenAIUsage, type OpenAIUsage } from './usage';

interface OpenAIToolCall {
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface OpenAIChoice {
  message?: {
    content?: string | null;
    refusal?: string | null;
    tool_calls?: OpenAIToolCall[] | null;
    /** DeepSeek, vLLM and others return reasoning text here (OpenRouter uses `reasoning`). */
    reasoning_content?: string | null;
    reasoning?: string | null;
  };
  finish_reason?: string | null;
}

interface OpenAIChatCompletion {
  id?: string;
  model?: string;
  choices?: OpenAIChoice[];
  usage?: OpenAIUsage | null;
}

const malformed = (why: string) => new GatewayError(502, 'upstream_error', `upstream returned a malformed chat completion: ${why}`);

/** Chat Completions JSON → CanonicalResponse (first choice; translated requests never ask for more). */
export function parseChatCompletion(body: string, upstreamModel: string): CanonicalResponse {
  let json: OpenAIChatCompletion;
  try {
    json = JSON.parse(body) as OpenAIChatCompletion;
  } catch {
    throw malformed('not JSON');
  }
  const choice = json.choices?.[0];
  if (!choice?.message) throw malformed('no choices');
  const msg = choice.message;
  const content: Array<TextPart | ToolCallPart | ThinkingPart> = [];
  const reasoning = msg.reasoning_content ?? msg.reasoning;
  if (reasoning) content.push({ type: 'thinking', text: reasoning });
  if (msg.content) content.push({ type: 'text', text: msg.content });
  else if (msg.refusal) content.push({ type: 'text', text: msg.refusal });
  if (msg.tool_calls) {
    msg.tool_calls.forEach((tc, i) => {
      content.push({
        type: 'tool_call',
        id: tc.id ?? `call_${i}`,
        name: tc.function?.name ?? '',
        arguments: tc.function?.arguments ?? '',
      });
    });
  }
  const stop_reason = msg.refusal && !msg.content ? 'content_filter' : mapFinishReason(choice.finish_reason);
  return {
    id: json.id ?? '',
    model: json.model || upstreamModel,
    content,
    stop_reason,
    usage: mapOpenAIUsage(json.usage ?? {}),
  };
}
