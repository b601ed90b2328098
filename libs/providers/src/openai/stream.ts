import type { StopReason, StreamEvent } from '@gatehouse/formats';
import type { StreamParser } from '../provider';
import { SseDecoder } from '../shared/sse';
import { maskSecrets } from '../shared/redact';
import { mapFinishReason, mapOpenAIUsage, type OpenAIUsage } from './usage';

interface ToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface ChunkChoice {
  index?: number;
  delta?: {
    content?: string | null;
    refusal?: string | null;
    reasoning_content?: string | null;
    reasoning?: string | null;
    tool_calls?: ToolCallDelta[] | null;
  };
  finish_reason?: string | null;
}

interface Chunk {
  id?: string;
  model?: string;
  choices?: ChunkChoice[];
  usage?: OpenAIUsage | null;
  error?: { message?: string; type?: string; code?: string };
}

/**
 * Chat Completions SSE → canonical events. Blocks are numbered in order of first appearance:
 * the text block, the reasoning block, and one block per OpenAI tool_calls index.
 * Order at the end: block_stop for every open block (at finish_reason), usage (from the
 * include_usage chunk), then stop (at [DONE] or end of body), so consumers have usage before stop.
 */
export class OpenAIStreamParser implements StreamParser {
  private readonly sse = new SseDecoder();
  private started = false;
  private nextIndex = 0;
  private textIndex = -1;
  private thinkingIndex = -1;
  private readonly toolIndex = new Map<number, number>();
  private open: number[] = [];
  private finish: StopReason | null = null;
  private done = false;

  constructor(private readonly upstreamModel: string) {}

  push(chunk: Uint8Array): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const msg of this.sse.push(chunk)) this.onData(msg.data, out);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const msg of this.sse.end()) this.onData(msg.data, out);
    if (!this.done) {
      this.closeBlocks(out);
      if (this.finish) this.emitStop(out);
      else {
        this.done = true;
        out.push({ type: 'error', error: { type: 'upstream_error', message: 'upstream stream ended before the response finished' } });
      }
    }
    return out;
  }

  private onData(data: string, out: StreamEvent[]): void {
    if (this.done) return;
    if (data === '[DONE]') {
      this.closeBlocks(out);
      this.emitStop(out);
      return;
    }
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch {
      return;
    }
    if (chunk.error) {
      this.done = true;
      out.push({
        type: 'error',
        error: {
          type: chunk.error.type ?? chunk.error.code ?? 'upstream_error',
          message: maskSecrets(chunk.error.message ?? 'upstream stream error'),
        },
      });
      return;
    }
    const choice = chunk.choices?.[0];
    if (!this.started && (choice || chunk.usage)) {
      this.started = true;
      out.push({ type: 'start', id: chunk.id ?? '', model: chunk.model || this.upstreamModel });
    }
    if (choice) this.onChoice(choice, out);
    if (chunk.usage) out.push({ type: 'usage', usage: mapOpenAIUsage(chunk.usage) });
  }

  private onChoice(choice: ChunkChoice, out: StreamEvent[]): void {
    const d = choice.delta;
    if (d) {
      const reasoning = d.reasoning_content ?? d.reasoning;
      if (reasoning) {
        if (this.thinkingIndex < 0) this.thinkingIndex = this.openBlock();
        out.push({ type: 'thinking_delta', index: this.thinkingIndex, text: reasoning });
      }
      const text = d.content || d.refusal;
      if (text) {
        if (this.textIndex < 0) this.textIndex = this.openBlock();
        out.push({ type: 'text_delta', index: this.textIndex, text });
      }
      if (d.tool_calls) {
        for (const tc of d.tool_calls) {
          const key = tc.index ?? 0;
          let index = this.toolIndex.get(key);
          if (index === undefined) {
            index = this.openBlock();
            this.toolIndex.set(key, index);
            out.push({ type: 'tool_call_start', index, id: tc.id ?? `call_${key}`, name: tc.function?.name ?? '' });
          }
          const args = tc.function?.arguments;
          if (args) out.push({ type: 'tool_call_delta', index, arguments: args });
        }
      }
    }
    if (choice.finish_reason) {
      this.finish = mapFinishReason(choice.finish_reason);
      this.closeBlocks(out);
    }
  }

  private openBlock(): number {
    const index = this.nextIndex++;
    this.open.push(index);
    return index;
  }

  private closeBlocks(out: StreamEvent[]): void {
    for (const index of this.open) out.push({ type: 'block_stop', index });
    this.open = [];
  }

  private emitStop(out: StreamEvent[]): void {
    this.done = true;
    if (!this.started) {
      this.started = true;
      out.push({ type: 'start', id: '', model: this.upstreamModel });
    }
    out.push({ type: 'stop', stop_reason: this.finish ?? 'end_turn' });
  }
}
