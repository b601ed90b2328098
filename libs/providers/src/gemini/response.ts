import { createHash, randomUUID } from 'node:crypto';
import type { CanonicalEmbeddingsResponse, CanonicalResponse, StopReason, TextPart, ThinkingPart, ToolCallPart, Usage } from '@gatehouse/formats';
import { GatewayError } from '@gatehouse/contracts';
import {
  GeminiBatchEmbedResponseSchema,
  GeminiGenerateResponseSchema,
  type GeminiGenerateResponse,
  type GeminiResponsePart,
  type GeminiUsage,
} from './wire';

const CONTENT_FILTER_REASONS = new Set(['SAFETY', 'RECITATION', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'IMAGE_SAFETY']);
const ERROR_REASONS = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'LANGUAGE']);

export function geminiStopReason(finishReason: string | undefined, hasToolCalls: boolean): StopReason {
  if (finishReason === 'MAX_TOKENS') return 'max_tokens';
  if (finishReason && CONTENT_FILTER_REASONS.has(finishReason)) return 'content_filter';
  if (finishReason && ERROR_REASONS.has(finishReason)) return 'error';
  return hasToolCalls ? 'tool_use' : 'end_turn';
}

/**
 * promptTokenCount already includes cachedContentTokenCount (Gemini reports the cached part as a
 * subset), and candidatesTokenCount excludes thinking, which is billed as output.
 */
export function geminiUsage(u: GeminiUsage | undefined): Usage {
  const thoughts = u?.thoughtsTokenCount ?? 0;
  return {
    input_tokens: (u?.promptTokenCount ?? 0) + (u?.toolUsePromptTokenCount ?? 0),
    output_tokens: (u?.candidatesTokenCount ?? 0) + thoughts,
    cache_read_tokens: u?.cachedContentTokenCount ?? 0,
    cache_write_tokens: 0,
    reasoning_tokens: thoughts,
  };
}

/**
 * Gemini function calls carry no id (unless the model supplies one), so the gateway derives one
 * from the response id and the call's ordinal: the same response always yields the same ids,
 * streamed or not.
 */
export function geminiToolCallId(responseKey: string, ordinal: number, upstreamId: string | undefined): string {
  if (upstreamId) return upstreamId;
  return `call_${createHash('sha256').update(`${responseKey}:${ordinal}`).digest('hex').slice(0, 24)}`;
}

export function parseGeminiJson(body: string): GeminiGenerateResponse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GatewayError(502, 'upstream_error', 'gemini returned a body that is not JSON');
  }
  const parsed = GeminiGenerateResponseSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError(502, 'upstream_error', 'gemini returned an unexpected response shape');
  return parsed.data;
}

type OutPart = TextPart | ToolCallPart | ThinkingPart;

/** One response part → canonical parts (a signature on a non-thought part travels on an empty thinking part before it). */
export function geminiParts(part: GeminiResponsePart, responseKey: string, nextCallOrdinal: () => number): OutPart[] {
  if (part.thought) return [{ type: 'thinking', text: part.text ?? '', ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}) }];
  const out: OutPart[] = [];
  if (part.thoughtSignature) out.push({ type: 'thinking', text: '', signature: part.thoughtSignature });
  if (part.functionCall) {
    out.push({
      type: 'tool_call',
      id: geminiToolCallId(responseKey, nextCallOrdinal(), part.functionCall.id),
      name: part.functionCall.name,
      arguments: JSON.stringify(part.functionCall.args ?? {}),
    });
  } else if (part.text !== undefined && part.text !== '') {
    out.push({ type: 'text', text: part.text });
  }
  return out;
}

/** Adjacent text (or unsigned thinking) parts merge into one block, as other providers return them. */
function mergeAdjacent(parts: OutPart[]): OutPart[] {
  const out: OutPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last?.type === 'text' && p.type === 'text') last.text += p.text;
    else if (last?.type === 'thinking' && p.type === 'thinking' && !last.signature) {
      last.text += p.text;
      if (p.signature) last.signature = p.signature;
    } else out.push({ ...p });
  }
  return out;
}

export function parseGeminiResponse(body: string, upstreamModel: string): CanonicalResponse {
  const res = parseGeminiJson(body);
  if (res.error) throw new GatewayError(502, 'upstream_error', res.error.message ?? 'gemini returned an error');
  const responseKey = res.responseId ?? randomUUID();
  const candidate = res.candidates?.[0];
  let ordinal = 0;
  const parts = (candidate?.content?.parts ?? []).flatMap((p) => geminiParts(p, responseKey, () => ordinal++));
  const content = mergeAdjacent(parts);
  const blocked = !candidate && res.promptFeedback?.blockReason !== undefined;
  const out: CanonicalResponse = {
    id: res.responseId ?? `gemini-${responseKey}`,
    model: res.modelVersion ?? upstreamModel,
    content,
    stop_reason: blocked ? 'content_filter' : geminiStopReason(candidate?.finishReason, ordinal > 0),
    stop_sequence: null,
    usage: geminiUsage(res.usageMetadata),
  };
  const more = res.candidates?.slice(1) ?? [];
  if (more.length > 0) {
    out.alternatives = more.map((c) => {
      const before = ordinal;
      const alt = mergeAdjacent((c.content?.parts ?? []).flatMap((p) => geminiParts(p, responseKey, () => ordinal++)));
      return { content: alt, stop_reason: geminiStopReason(c.finishReason, ordinal > before) };
    });
  }
  return out;
}

/**
 * batchEmbedContents reports no token counts, so usage is 0 here; callers that price embeddings
 * must count the input themselves.
 */
export function parseGeminiEmbeddingsResponse(body: string, upstreamModel: string): CanonicalEmbeddingsResponse {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GatewayError(502, 'upstream_error', 'gemini returned an embeddings body that is not JSON');
  }
  const parsed = GeminiBatchEmbedResponseSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError(502, 'upstream_error', 'gemini returned an unexpected embeddings shape');
  return { model: upstreamModel, data: parsed.data.embeddings.map((e) => e.values), usage: { input_tokens: 0 } };
}
