/**
 * The canonical model in the middle: every client format is decoded into it and every
 * provider dialect is built from it, so N formats cost N codecs, not N×M.
 *
 * Token semantics (used by pricing and by every codec):
 *  - usage.input_tokens is ALL input tokens, cache reads and cache writes included
 *    (OpenAI's prompt_tokens). Anthropic's input_tokens = input_tokens - cache_read - cache_write.
 *  - usage.output_tokens is ALL output tokens, reasoning included (OpenAI's completion_tokens).
 */

export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextPart {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}

export type ImageSource =
  | { kind: 'url'; url: string }
  | { kind: 'base64'; media_type: string; data: string };

export interface ImagePart {
  type: 'image';
  source: ImageSource;
  detail?: 'auto' | 'low' | 'high';
  cache_control?: CacheControl;
}

export interface ToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
}

export interface ToolResultPart {
  type: 'tool_result';
  tool_call_id: string;
  content: Array<TextPart | ImagePart>;
  is_error?: boolean;
  cache_control?: CacheControl;
}

export interface ThinkingPart {
  type: 'thinking';
  text: string;
  signature?: string;
  /** Anthropic redacted_thinking: `text` is empty and `signature` holds the encrypted `data`. */
  redacted?: boolean;
}

export type ContentPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart;

/** Tool results travel as parts of a user message (Anthropic's shape); the OpenAI codec maps role "tool" to and from it. */
export interface CanonicalMessage {
  role: 'user' | 'assistant';
  content: ContentPart[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  /** OpenAI strict function calling (arguments guaranteed to match the schema). */
  strict?: boolean;
  cache_control?: CacheControl;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean };

export interface CanonicalRequest {
  /** The model name the client sent (resolved by routing to a provider and upstream model). */
  model: string;
  system: TextPart[];
  messages: CanonicalMessage[];
  stream: boolean;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop?: string[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  n?: number;
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  user?: string;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
  thinking?: { budget_tokens: number };
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'content_filter' | 'error';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
}

export const ZERO_USAGE: Readonly<Usage> = Object.freeze({
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
});

export interface CanonicalResponse {
  id: string;
  /** The upstream model that answered. */
  model: string;
  content: Array<TextPart | ToolCallPart | ThinkingPart>;
  stop_reason: StopReason;
  stop_sequence?: string | null;
  usage: Usage;
  /**
   * Choices 2..n when the client asked for n > 1 (OpenAI-dialect and Gemini targets, the mock);
   * absent otherwise. `usage` covers all choices.
   */
  alternatives?: Array<{ content: Array<TextPart | ToolCallPart | ThinkingPart>; stop_reason: StopReason }>;
}

/**
 * Stream events. `index` is the content block index within the response (text, thinking and
 * each tool call are separate blocks, numbered from 0 in order of first appearance).
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string }
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'thinking_delta'; index: number; text: string; signature?: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'block_stop'; index: number }
  /** Usage may arrive in several events; later values replace earlier ones field by field. */
  | { type: 'usage'; usage: Partial<Usage> }
  | { type: 'stop'; stop_reason: StopReason; stop_sequence?: string | null }
  | { type: 'error'; error: { type: string; message: string } };

export interface CanonicalEmbeddingsRequest {
  model: string;
  input: string[];
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
  user?: string;
}

export interface CanonicalEmbeddingsResponse {
  model: string;
  data: number[][];
  usage: { input_tokens: number };
}
