import { z } from 'zod';

/** How the mock answers one request. Every field is optional; an empty object is the default answer. */
export const BehaviourSchema = z.object({
  status: z.number().int().min(100).max(599).optional(),
  retry_after: z.number().nonnegative().optional(),
  error_message: z.string().optional(),
  /** Delay before the response headers. */
  latency_ms: z.number().nonnegative().optional(),
  /** Delay between the headers and the first body byte. */
  ttfb_ms: z.number().nonnegative().optional(),
  /** Delay between stream events. */
  chunk_delay_ms: z.number().nonnegative().optional(),
  /** Number of pieces the text is split into when streaming. */
  chunks: z.number().int().min(1).max(10_000).optional(),
  /** Destroy the socket without answering. */
  reset: z.boolean().optional(),
  /** Never answer. */
  hang: z.boolean().optional(),
  /** Destroy the socket after this many body writes (stream events; for JSON, half the body). */
  reset_after_chunks: z.number().int().nonnegative().optional(),
  /** Stop writing (but keep the connection open) after this many body writes: a stalled stream. */
  stall_after_chunks: z.number().int().nonnegative().optional(),
  /** With `status`: only this share of requests (random, 0..1) get that status; the others the normal answer. */
  fail_ratio: z.number().min(0).max(1).optional(),
  text: z.string().optional(),
  /** Answer with the last user text instead of the default text. */
  echo: z.boolean().optional(),
  /** End as if the output hit the client's max_tokens (OpenAI "length", Anthropic/Bedrock "max_tokens", Gemini "MAX_TOKENS"). */
  stop: z.literal('max_tokens').optional(),
  /** Several entries make parallel tool calls. */
  tool_calls: z.array(z.object({ name: z.string().min(1), arguments: z.string() })).optional(),
  usage: z.object({
    input: z.number().int().nonnegative().optional(),
    output: z.number().int().nonnegative().optional(),
    cached: z.number().int().nonnegative().optional(),
    cache_write: z.number().int().nonnegative().optional(),
    reasoning: z.number().int().nonnegative().optional(),
  }).optional(),
}).strict();
export type Behaviour = z.infer<typeof BehaviourSchema>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw string when it is not JSON; null when empty. */
  body: unknown;
  /** Epoch milliseconds when the request arrived. */
  time: number;
  /** Becomes true when the connection closed before the answer was complete: the caller went away (or a reset behaviour cut it). */
  closedEarly: boolean;
}
