import type { Behaviour } from './behaviour';

export const DEFAULT_TEXT = 'Hello from the mock upstream.';
export const DEFAULT_CHUNKS = 4;

/** What every format needs to know about the request to answer it. */
export interface RequestView {
  model: string;
  stream: boolean;
  /** All request text (system + messages), for the input token estimate. */
  textLength: number;
  lastUserText: string;
  toolNames: string[];
  /** 'none', 'auto', 'required', or the forced tool's name. */
  toolChoice: { kind: 'auto' | 'none' | 'required' } | { kind: 'tool'; name: string };
  lastIsToolResult: boolean;
  /** OpenAI streams: stream_options.include_usage. */
  includeUsage: boolean;
  /** Choices asked for (OpenAI `n`, Gemini `generationConfig.candidateCount`); 1 when absent. Each is the same answer. */
  choices?: number;
}

export interface PlannedToolCall {
  name: string;
  arguments: string;
}

export interface PlannedUsage {
  /** All input tokens, cache reads and writes included. */
  input: number;
  /** All output tokens, reasoning included. */
  output: number;
  cached: number;
  cache_write: number;
  reasoning: number;
}

/** The answer, independent of the wire format. */
export interface Plan {
  model: string;
  textChunks: string[];
  toolCalls: PlannedToolCall[];
  usage: PlannedUsage;
  /** The answer was cut off at max_tokens. */
  truncated: boolean;
}

export function planAnswer(view: RequestView, b: Behaviour): Plan {
  const toolCalls = b.tool_calls ?? autoToolCalls(view);
  const text = toolCalls.length > 0 && b.text === undefined ? '' : b.text ?? (b.echo ? view.lastUserText : DEFAULT_TEXT);
  const textChunks = text === '' ? [] : splitText(text, b.chunks ?? DEFAULT_CHUNKS);
  const cached = b.usage?.cached ?? 0;
  const cacheWrite = b.usage?.cache_write ?? 0;
  const reasoning = b.usage?.reasoning ?? 0;
  const input = b.usage?.input ?? Math.max(1, Math.ceil(view.textLength / 4)) + cached + cacheWrite;
  const output = b.usage?.output ?? textChunks.length + toolCalls.length * 3 + reasoning;
  return { model: view.model, textChunks, toolCalls, usage: { input, output, cached, cache_write: cacheWrite, reasoning }, truncated: b.stop === 'max_tokens' };
}

function autoToolCalls(view: RequestView): PlannedToolCall[] {
  if (view.toolNames.length === 0 || view.lastIsToolResult || view.toolChoice.kind === 'none') return [];
  const name = view.toolChoice.kind === 'tool' ? view.toolChoice.name : view.toolNames[0];
  return [{ name, arguments: '{}' }];
}

/** Splits text into `n` pieces of near-equal length (fewer when the text is shorter than n). */
export function splitText(text: string, n: number): string[] {
  const count = Math.max(1, Math.min(n, text.length));
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Splits JSON text of tool arguments into two pieces, so streams carry real deltas. */
export function splitArguments(args: string): string[] {
  if (args.length < 2) return [args];
  const mid = Math.ceil(args.length / 2);
  return [args.slice(0, mid), args.slice(mid)];
}

export const textOf = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('');
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.text === 'string') return o.text;
    if (o.content !== undefined) return textOf(o.content);
  }
  return '';
};
