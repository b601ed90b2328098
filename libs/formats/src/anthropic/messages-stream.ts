import { ZERO_USAGE, type StopReason, type StreamEvent, type Usage } from '../canonical';
import { mergeUsage } from '../usage';
import { anthropicErrorType } from './error';
import { anthropicStopReason, anthropicUsage } from './messages-response';

const json = JSON.stringify;

type BlockKind = 'text' | 'thinking' | 'tool_use';

interface Block {
  index: number;
  open: boolean;
}

const event = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n`;

/**
 * Canonical stream events → Anthropic Messages SSE (message_start, content_block_start / delta /
 * stop, message_delta, message_stop). Blocks are numbered in order of first appearance and, as
 * Anthropic does, one is open at a time: starting a block closes the one before it. message_start
 * waits for the first content (so that usage reported alongside the upstream's start, as Anthropic
 * and Bedrock do, is in it); message_delta at finish() carries the cumulative totals.
 */
export class AnthropicStreamEncoder {
  private readonly id: string;
  private readonly model: string;
  private readonly usage: Usage = { ...ZERO_USAGE };
  private readonly blocks = new Map<number, Block>();
  private open: Block | null = null;
  private stopReason: StopReason = 'end_turn';
  private stopSequence: string | null = null;
  private started = false;
  private done = false;

  constructor(opts: { id: string; model: string }) {
    this.id = opts.id;
    this.model = opts.model;
  }

  push(ev: StreamEvent): string {
    if (this.done) return '';
    switch (ev.type) {
      case 'start':
        return '';
      case 'text_delta': {
        const { out, block } = this.block(ev.index, 'text');
        if (ev.text === '') return out;
        return out + this.delta(block, `{"type":"text_delta","text":${json(ev.text)}}`);
      }
      case 'thinking_delta': {
        let { out, block } = this.block(ev.index, 'thinking');
        if (ev.text !== '') out += this.delta(block, `{"type":"thinking_delta","thinking":${json(ev.text)}}`);
        if (ev.signature) out += this.delta(block, `{"type":"signature_delta","signature":${json(ev.signature)}}`);
        return out;
      }
      case 'tool_call_start':
        return this.block(ev.index, 'tool_use', ev.id, ev.name).out;
      case 'tool_call_delta': {
        const { out, block } = this.block(ev.index, 'tool_use');
        if (ev.arguments === '') return out;
        return out + this.delta(block, `{"type":"input_json_delta","partial_json":${json(ev.arguments)}}`);
      }
      case 'block_stop': {
        const block = this.blocks.get(ev.index);
        return block ? this.close(block) : '';
      }
      case 'usage':
        mergeUsage(this.usage, ev.usage);
        return '';
      case 'stop':
        this.stopReason = ev.stop_reason;
        this.stopSequence = ev.stop_sequence ?? null;
        return '';
      case 'error':
        return this.error(ev.error);
    }
  }

  /** Close what is open, then message_delta (stop reason, cumulative usage) and message_stop. */
  finish(): string {
    if (this.done) return '';
    this.done = true;
    let out = this.begin();
    if (this.open) out += this.close(this.open);
    const delta = `{"stop_reason":"${anthropicStopReason(this.stopReason)}","stop_sequence":${json(this.stopSequence)}}`;
    out += event('message_delta', `{"type":"message_delta","delta":${delta},"usage":${json(anthropicUsage(this.usage))}}`);
    return out + event('message_stop', '{"type":"message_stop"}');
  }

  /** An error mid-stream: Anthropic's `event: error`; nothing follows it. */
  error(err: { type: string; message: string }): string {
    if (this.done) return '';
    this.done = true;
    const type = anthropicErrorType(err.type);
    return event('error', `{"type":"error","error":{"type":"${type}","message":${json(err.message)}}}`);
  }

  private begin(): string {
    if (this.started) return '';
    this.started = true;
    const message = `{"id":${json(this.id)},"type":"message","role":"assistant","model":${json(this.model)},"content":[],"stop_reason":null,"stop_sequence":null,"usage":${json(anthropicUsage(this.usage))}}`;
    return event('message_start', `{"type":"message_start","message":${message}}`);
  }

  private block(canonicalIndex: number, kind: BlockKind, id = '', name = ''): { out: string; block: Block } {
    const known = this.blocks.get(canonicalIndex);
    if (known) return { out: this.begin(), block: known };
    let out = this.begin();
    if (this.open) out += this.close(this.open);
    const block: Block = { index: this.blocks.size, open: true };
    this.blocks.set(canonicalIndex, block);
    this.open = block;
    const content =
      kind === 'text'
        ? '{"type":"text","text":""}'
        : kind === 'thinking'
          ? '{"type":"thinking","thinking":"","signature":""}'
          : `{"type":"tool_use","id":${json(id)},"name":${json(name)},"input":{}}`;
    out += event('content_block_start', `{"type":"content_block_start","index":${block.index},"content_block":${content}}`);
    return { out, block };
  }

  private delta(block: Block, delta: string): string {
    return event('content_block_delta', `{"type":"content_block_delta","index":${block.index},"delta":${delta}}`);
  }

  private close(block: Block): string {
    if (!block.open) return '';
    block.open = false;
    if (this.open === block) this.open = null;
    return event('content_block_stop', `{"type":"content_block_stop","index":${block.index}}`);
  }
}
