import { randomUUID } from 'node:crypto';
import type { StopReason, StreamEvent, Usage } from '@gatehouse/formats';
import { maskSecrets } from '../shared/redact';
import { SseDecoder } from '../shared/sse';
import type { StreamParser } from '../provider';
import { geminiParts, geminiStopReason, geminiUsage } from './response';
import { GeminiGenerateResponseSchema, type GeminiGenerateResponse } from './wire';

type OpenBlock = { kind: 'text' | 'thinking'; index: number } | null;

/**
 * `:streamGenerateContent?alt=sse` → canonical events. Every SSE event is a whole
 * GenerateContentResponse: text arrives in pieces, function calls arrive whole, usageMetadata is
 * cumulative (the last one wins). Usage and stop are emitted once the body ends, usage first.
 */
export class GeminiStreamParser implements StreamParser {
  private readonly sse = new SseDecoder();
  private started = false;
  private responseKey: string = randomUUID();
  private nextIndex = 0;
  private open: OpenBlock = null;
  private ordinal = 0;
  private finishReason: string | undefined;
  private blocked = false;
  private usage: Usage | undefined;
  private failed = false;

  constructor(private readonly upstreamModel: string) {}

  push(chunk: Uint8Array): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const message of this.sse.push(chunk)) this.onData(message.data, out);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const message of this.sse.end()) this.onData(message.data, out);
    if (this.failed) return out;
    this.closeOpen(out);
    if (this.usage) out.push({ type: 'usage', usage: this.usage });
    if (this.finishReason === undefined && !this.blocked) {
      out.push({ type: 'error', error: { type: 'upstream_error', message: 'gemini stream ended before a finish reason' } });
      return out;
    }
    const stop: StopReason = this.blocked ? 'content_filter' : geminiStopReason(this.finishReason, this.ordinal > 0);
    out.push({ type: 'stop', stop_reason: stop, stop_sequence: null });
    return out;
  }

  private onData(data: string, out: StreamEvent[]): void {
    if (this.failed || data.trim() === '' || data.trim() === '[DONE]') return;
    let chunk: GeminiGenerateResponse;
    try {
      const parsed = GeminiGenerateResponseSchema.safeParse(JSON.parse(data));
      if (!parsed.success) throw new Error('shape');
      chunk = parsed.data;
    } catch {
      this.fail(out, 'upstream_error', 'gemini sent a stream event that is not a GenerateContentResponse');
      return;
    }
    if (chunk.error) {
      this.fail(out, chunk.error.status ?? 'upstream_error', chunk.error.message ?? 'gemini stream error');
      return;
    }
    if (!this.started) {
      this.started = true;
      if (chunk.responseId) this.responseKey = chunk.responseId;
      out.push({ type: 'start', id: chunk.responseId ?? `gemini-${this.responseKey}`, model: chunk.modelVersion ?? this.upstreamModel });
    }
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      for (const p of geminiParts(part, this.responseKey, () => this.ordinal++)) {
        if (p.type === 'text') {
          const index = this.blockFor('text', out);
          out.push({ type: 'text_delta', index, text: p.text });
        } else if (p.type === 'thinking') {
          const index = this.blockFor('thinking', out);
          out.push(p.signature ? { type: 'thinking_delta', index, text: p.text, signature: p.signature } : { type: 'thinking_delta', index, text: p.text });
          if (p.signature) this.closeOpen(out);
        } else {
          this.closeOpen(out);
          const index = this.nextIndex++;
          out.push({ type: 'tool_call_start', index, id: p.id, name: p.name });
          out.push({ type: 'tool_call_delta', index, arguments: p.arguments });
          out.push({ type: 'block_stop', index });
        }
      }
    }
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    if (!candidate && chunk.promptFeedback?.blockReason) this.blocked = true;
    if (chunk.usageMetadata) this.usage = geminiUsage(chunk.usageMetadata);
  }

  private blockFor(kind: 'text' | 'thinking', out: StreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index;
    this.closeOpen(out);
    this.open = { kind, index: this.nextIndex++ };
    return this.open.index;
  }

  private closeOpen(out: StreamEvent[]): void {
    if (!this.open) return;
    out.push({ type: 'block_stop', index: this.open.index });
    this.open = null;
  }

  private fail(out: StreamEvent[], type: string, message: string): void {
    this.failed = true;
    this.closeOpen(out);
    out.push({ type: 'error', error: { type, message: maskSecrets(message) } });
  }
}
