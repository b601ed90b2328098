import type { CanonicalResponse, StopReason, TextPart, ThinkingPart, ToolCallPart } from '@gatehouse/formats';
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

/** One choice's message → canonical content and stop reason. */
function choiceOf(choice: OpenAIChoice): { content: Array<TextPart | ToolCallPart | ThinkingPart>; stop_reason: StopReason } {
  const msg = choice.message!;
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
  return { content, stop_reason: msg.refusal && !msg.content ? 'content_filter' : mapFinishReason(choice.finish_reason) };
}

/** Chat Completions JSON → CanonicalResponse: the first choice, further ones (n > 1) as alternatives. */
export function parseChatCompletion(body: string, upstreamModel: string): CanonicalResponse {
  let json: OpenAIChatCompletion;
  try {
    json = JSON.parse(body) as OpenAIChatCompletion;
  } catch {
    throw malformed('not JSON');
  }
  const choices = json.choices ?? [];
  if (!choices[0]?.message) throw malformed('no choices');
  const first = choiceOf(choices[0]);
  const out: CanonicalResponse = {
    id: json.id ?? '',
    model: json.model || upstreamModel,
    content: first.content,
    stop_reason: first.stop_reason,
    usage: mapOpenAIUsage(json.usage ?? {}),
  };
  if (choices.length > 1) out.alternatives = choices.slice(1).filter((c) => c.message).map(choiceOf);
  return out;
}
