import type { StopReason, StreamEvent } from '@gatehouse/formats';
import type { StreamParser } from '../provider';
import { maskSecrets } from '../shared/redact';
import { SseDecoder } from '../shared/sse';
import { mapAnthropicUsage, mapStopReason, type AnthropicUsage } from './usage';

interface SseData {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string; thinking?: string };
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    thinking?: string;
    signature?: string;
    stop_reason?: string | null;
    stop_sequence?: string | null;
  };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/**
 * Anthropic Messages SSE → canonical events. Anthropic's block indices are renumbered densely
 * because redacted_thinking blocks (no canonical form) are skipped. Usage: message_start carries
 * input and cache counts, message_delta the cumulative output (and, on newer API versions, input) counts.
 */
export class AnthropicStreamParser implements StreamParser {
  private readonly sse = new SseDecoder();
  private readonly blocks = new Map<number, number>();
  private nextIndex = 0;
  private usage: AnthropicUsage = {};
  private stopReason: StopReason = 'end_turn';
  private stopSequence: string | null = null;
  private sawDelta = false;
  private done = false;

  constructor(private readonly upstreamModel: string) {}

  push(chunk: Uint8Array): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const msg of this.sse.push(chunk)) this.onData(msg.data, out);
    return out;
  }

  /** One Anthropic stream event already out of its framing (Bedrock's event stream carries them as JSON). */
  pushEvent(ev: Record<string, unknown>): StreamEvent[] {
    const out: StreamEvent[] = [];
    this.onEvent(ev as SseData, out);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const msg of this.sse.end()) this.onData(msg.data, out);
    if (!this.done) {
      this.done = true;
      for (const index of this.blocks.values()) out.push({ type: 'block_stop', index });
      this.blocks.clear();
      if (this.sawDelta) out.push({ type: 'stop', stop_reason: this.stopReason, stop_sequence: this.stopSequence });
      else out.push({ type: 'error', error: { type: 'upstream_error', message: 'upstream stream ended before the response finished' } });
    }
    return out;
  }

  private onData(data: string, out: StreamEvent[]): void {
    if (this.done) return;
    let ev: SseData;
    try {
      ev = JSON.parse(data) as SseData;
    } catch {
      return;
    }
    this.onEvent(ev, out);
  }

  private onEvent(ev: SseData, out: StreamEvent[]): void {
    if (this.done) return;
    switch (ev.type) {
      case 'message_start': {
        const m = ev.message ?? {};
        out.push({ type: 'start', id: m.id ?? '', model: m.model || this.upstreamModel });
        if (m.usage) this.addUsage(m.usage, out);
        break;
      }
      case 'content_block_start':
        this.onBlockStart(ev, out);
        break;
      case 'content_block_delta':
        this.onDelta(ev, out);
        break;
      case 'content_block_stop': {
        const index = this.blocks.get(ev.index ?? -1);
        if (index !== undefined) {
          this.blocks.delete(ev.index ?? -1);
          out.push({ type: 'block_stop', index });
        }
        break;
      }
      case 'message_delta':
        this.sawDelta = true;
        if (ev.delta?.stop_reason) this.stopReason = mapStopReason(ev.delta.stop_reason);
        if (ev.delta?.stop_sequence !== undefined) this.stopSequence = ev.delta.stop_sequence;
        if (ev.usage) this.addUsage(ev.usage, out);
        break;
      case 'message_stop':
        this.done = true;
        out.push({ type: 'stop', stop_reason: this.stopReason, stop_sequence: this.stopSequence });
        break;
      case 'error':
        this.done = true;
        out.push({
          type: 'error',
          error: { type: ev.error?.type ?? 'api_error', message: maskSecrets(ev.error?.message ?? 'upstream stream error') },
        });
        break;
      default:
        // ping and future event types carry nothing canonical
        break;
    }
  }

  private onBlockStart(ev: SseData, out: StreamEvent[]): void {
    const cb = ev.content_block;
    if (!cb || (cb.type !== 'text' && cb.type !== 'tool_use' && cb.type !== 'thinking')) return;
    const index = this.nextIndex++;
    this.blocks.set(ev.index ?? 0, index);
    if (cb.type === 'tool_use') out.push({ type: 'tool_call_start', index, id: cb.id ?? '', name: cb.name ?? '' });
    else if (cb.type === 'text' && cb.text) out.push({ type: 'text_delta', index, text: cb.text });
    else if (cb.type === 'thinking' && cb.thinking) out.push({ type: 'thinking_delta', index, text: cb.thinking });
  }

  private onDelta(ev: SseData, out: StreamEvent[]): void {
    const index = this.blocks.get(ev.index ?? 0);
    const d = ev.delta;
    if (index === undefined || !d) return;
    switch (d.type) {
      case 'text_delta':
        out.push({ type: 'text_delta', index, text: d.text ?? '' });
        break;
      case 'input_json_delta':
        if (d.partial_json) out.push({ type: 'tool_call_delta', index, arguments: d.partial_json });
        break;
      case 'thinking_delta':
        out.push({ type: 'thinking_delta', index, text: d.thinking ?? '' });
        break;
      case 'signature_delta':
        out.push({ type: 'thinking_delta', index, text: '', signature: d.signature ?? '' });
        break;
    }
  }

  /** Later counts replace earlier ones field by field; canonical input is recomputed from all three parts. */
  private addUsage(u: AnthropicUsage, out: StreamEvent[]): void {
    for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
      const v = u[key];
      if (typeof v === 'number') this.usage[key] = v;
    }
    out.push({ type: 'usage', usage: mapAnthropicUsage(this.usage) });
  }
}
