import type { Message } from '@smithy/eventstream-codec';
import { toUtf8 } from '@smithy/util-utf8';
import type { StopReason, StreamEvent } from '@gatehouse/formats';
import { maskSecrets } from '../shared/redact';
import type { StreamParser } from '../provider';
import { EventStreamFrames, exceptionMessage, headerString } from './event-frames';
import { bedrockMessageId, converseStopReason, converseUsage } from './response';
import {
  ContentBlockDeltaSchema,
  ContentBlockStartSchema,
  ContentBlockStopSchema,
  MessageStopSchema,
  StreamMetadataSchema,
} from './wire';

/**
 * ConverseStream (`application/vnd.amazon.eventstream`, decoded by EventStreamFrames) →
 * canonical events. Text blocks have no start event in Converse, so a block is opened
 * by its first delta; Bedrock block indexes are renumbered in order of first appearance.
 */
export class BedrockStreamParser implements StreamParser {
  private readonly frames = new EventStreamFrames();
  private started = false;
  private readonly blocks = new Map<number, number>();
  private readonly openBlocks = new Set<number>();
  private nextIndex = 0;
  private stopReason: StopReason | undefined;
  private stopped = false;
  private failed = false;

  constructor(private readonly upstreamModel: string) {}

  push(chunk: Uint8Array): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.failed) return out;
    for (const message of this.frames.push(chunk)) {
      this.onMessage(message, out);
      if (this.failed) return out;
    }
    if (this.frames.error !== null) this.fail(out, 'upstream_error', this.frames.error);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.failed || this.stopped) return out;
    if (this.frames.pending > 0 || this.stopReason === undefined) {
      this.fail(out, 'upstream_error', 'bedrock stream ended before messageStop');
      return out;
    }
    this.finish(out);
    return out;
  }

  private onMessage(message: Message, out: StreamEvent[]): void {
    const kind = headerString(message, ':message-type');
    if (kind === 'exception' || kind === 'error') {
      const type = headerString(message, ':exception-type') ?? headerString(message, ':error-code') ?? 'upstream_error';
      this.fail(out, type, exceptionMessage(message) ?? headerString(message, ':error-message') ?? 'bedrock stream error');
      return;
    }
    const eventType = headerString(message, ':event-type');
    let payload: unknown;
    try {
      payload = message.body.length ? JSON.parse(toUtf8(message.body)) : {};
    } catch {
      this.fail(out, 'upstream_error', `bedrock sent a ${eventType ?? 'stream'} event that is not JSON`);
      return;
    }
    this.ensureStarted(out);
    switch (eventType) {
      case 'contentBlockStart': {
        const e = ContentBlockStartSchema.safeParse(payload);
        if (e.success && e.data.start?.toolUse) {
          const index = this.indexOf(e.data.contentBlockIndex);
          out.push({ type: 'tool_call_start', index, id: e.data.start.toolUse.toolUseId, name: e.data.start.toolUse.name });
        }
        return;
      }
      case 'contentBlockDelta': {
        const e = ContentBlockDeltaSchema.safeParse(payload);
        if (!e.success) return;
        const index = this.indexOf(e.data.contentBlockIndex);
        const d = e.data.delta;
        if (d.text !== undefined) out.push({ type: 'text_delta', index, text: d.text });
        else if (d.toolUse) out.push({ type: 'tool_call_delta', index, arguments: d.toolUse.input });
        else if (d.reasoningContent?.text !== undefined || d.reasoningContent?.signature !== undefined) {
          const r = d.reasoningContent;
          out.push(r.signature ? { type: 'thinking_delta', index, text: r.text ?? '', signature: r.signature } : { type: 'thinking_delta', index, text: r.text ?? '' });
        }
        return;
      }
      case 'contentBlockStop': {
        const e = ContentBlockStopSchema.safeParse(payload);
        if (!e.success) return;
        const index = this.blocks.get(e.data.contentBlockIndex);
        if (index !== undefined && this.openBlocks.delete(index)) out.push({ type: 'block_stop', index });
        return;
      }
      case 'messageStop': {
        const e = MessageStopSchema.safeParse(payload);
        this.stopReason = converseStopReason(e.success ? e.data.stopReason : undefined);
        return;
      }
      case 'metadata': {
        const e = StreamMetadataSchema.safeParse(payload);
        if (e.success && e.data.usage) out.push({ type: 'usage', usage: converseUsage(e.data.usage) });
        if (this.stopReason !== undefined) this.finish(out);
        return;
      }
      default:
        return;
    }
  }

  private ensureStarted(out: StreamEvent[]): void {
    if (this.started) return;
    this.started = true;
    out.push({ type: 'start', id: bedrockMessageId(), model: this.upstreamModel });
  }

  private indexOf(bedrockIndex: number): number {
    let index = this.blocks.get(bedrockIndex);
    if (index === undefined) {
      index = this.nextIndex++;
      this.blocks.set(bedrockIndex, index);
      this.openBlocks.add(index);
    }
    return index;
  }

  private closeAll(out: StreamEvent[]): void {
    for (const index of [...this.openBlocks].sort((a, b) => a - b)) out.push({ type: 'block_stop', index });
    this.openBlocks.clear();
  }

  private finish(out: StreamEvent[]): void {
    if (this.stopped) return;
    this.stopped = true;
    this.closeAll(out);
    out.push({ type: 'stop', stop_reason: this.stopReason ?? 'end_turn', stop_sequence: null });
  }

  private fail(out: StreamEvent[], type: string, message: string): void {
    this.failed = true;
    this.closeAll(out);
    out.push({ type: 'error', error: { type, message: maskSecrets(message) } });
  }
}
