import { ZERO_USAGE, type StopReason, type StreamEvent, type Usage } from '../canonical';
import { mergeUsage } from '../usage';
import { itemId, responseEnvelope, responsesStatus, responsesUsage, type ResponsesOutputItem } from './responses-response';

interface Block {
  kind: 'text' | 'thinking' | 'tool';
  outputIndex: number;
  id: string;
  text: string;
  callId: string;
  name: string;
  open: boolean;
}

/**
 * Canonical stream events → the Responses API's typed SSE events: response.created and
 * response.in_progress, then per output item output_item.added, its content part or summary
 * part, the deltas (output_text / function_call_arguments / reasoning_summary_text), their .done
 * events and output_item.done, and at the end response.completed (or response.incomplete) with
 * the whole response and its usage. Every event carries a sequence_number.
 */
export class OpenAIResponsesStreamEncoder {
  private readonly usage: Usage = { ...ZERO_USAGE };
  private readonly blocks = new Map<number, Block>();
  private readonly output: ResponsesOutputItem[] = [];
  private seq = 0;
  private started = false;
  private done = false;
  private stopReason: StopReason = 'end_turn';

  constructor(private readonly opts: { id: string; model: string; createdAt: number }) {}

  push(ev: StreamEvent): string {
    if (this.done) return '';
    switch (ev.type) {
      case 'start':
        return this.begin();
      case 'text_delta': {
        const { out, block } = this.open(ev.index, 'text');
        if (ev.text === '') return out;
        block.text += ev.text;
        return out + this.event('response.output_text.delta', { item_id: block.id, output_index: block.outputIndex, content_index: 0, delta: ev.text, logprobs: [] });
      }
      case 'thinking_delta': {
        const { out, block } = this.open(ev.index, 'thinking');
        if (ev.text === '') return out;
        block.text += ev.text;
        return out + this.event('response.reasoning_summary_text.delta', { item_id: block.id, output_index: block.outputIndex, summary_index: 0, delta: ev.text });
      }
      case 'tool_call_start':
        return this.open(ev.index, 'tool', ev.id, ev.name).out;
      case 'tool_call_delta': {
        const { out, block } = this.open(ev.index, 'tool');
        if (ev.arguments === '') return out;
        block.text += ev.arguments;
        return out + this.event('response.function_call_arguments.delta', { item_id: block.id, output_index: block.outputIndex, delta: ev.arguments });
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
        return '';
      case 'error':
        return this.error(ev.error);
    }
  }

  /** Closes what is still open and sends response.completed (or response.incomplete) with the whole response. */
  finish(): string {
    if (this.done) return '';
    let out = this.begin();
    for (const block of this.blocks.values()) if (block.open) out += this.close(block);
    this.done = true;
    const { status, incomplete_details } = responsesStatus(this.stopReason);
    const text = this.output.map((i) => (i.type === 'message' ? i.content.map((c) => c.text).join('') : '')).join('');
    const response = {
      ...responseEnvelope(this.opts.id, this.opts.model, this.opts.createdAt),
      status,
      incomplete_details,
      output: this.output,
      output_text: text,
      usage: responsesUsage(this.usage),
    };
    return out + this.event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  }

  /** An error after the response started: the Responses API's `error` event; nothing follows it. */
  error(err: { type: string; message: string }): string {
    if (this.done) return '';
    const out = this.begin();
    this.done = true;
    return out + this.event('error', { code: err.type, message: err.message, param: null });
  }

  private begin(): string {
    if (this.started) return '';
    this.started = true;
    const response = responseEnvelope(this.opts.id, this.opts.model, this.opts.createdAt);
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private open(index: number, kind: Block['kind'], callId = '', name = ''): { out: string; block: Block } {
    let out = this.begin();
    const existing = this.blocks.get(index);
    if (existing) return { out, block: existing };
    const outputIndex = this.output.length;
    const prefix = kind === 'text' ? 'msg' : kind === 'tool' ? 'fc' : 'rs';
    const block: Block = { kind, outputIndex, id: itemId(prefix, this.opts.id, outputIndex), text: '', callId, name, open: true };
    this.blocks.set(index, block);
    const at = { output_index: outputIndex };
    if (kind === 'text') {
      this.output.push({ type: 'message', id: block.id, status: 'completed', role: 'assistant', content: [] });
      out += this.event('response.output_item.added', { ...at, item: { id: block.id, type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
      out += this.event('response.content_part.added', { item_id: block.id, ...at, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    } else if (kind === 'thinking') {
      this.output.push({ type: 'reasoning', id: block.id, summary: [] });
      out += this.event('response.output_item.added', { ...at, item: { id: block.id, type: 'reasoning', summary: [] } });
      out += this.event('response.reasoning_summary_part.added', { item_id: block.id, ...at, summary_index: 0, part: { type: 'summary_text', text: '' } });
    } else {
      this.output.push({ type: 'function_call', id: block.id, call_id: callId, name, arguments: '', status: 'completed' });
      out += this.event('response.output_item.added', { ...at, item: { id: block.id, type: 'function_call', status: 'in_progress', call_id: callId, name, arguments: '' } });
    }
    return { out, block };
  }

  private close(block: Block): string {
    if (!block.open) return '';
    block.open = false;
    const at = { item_id: block.id, output_index: block.outputIndex };
    const item = this.output[block.outputIndex]!;
    let out = '';
    if (item.type === 'message') {
      const part = { type: 'output_text' as const, text: block.text, annotations: [] as [], logprobs: [] as [] };
      item.content.push(part);
      out += this.event('response.output_text.done', { ...at, content_index: 0, text: block.text, logprobs: [] });
      out += this.event('response.content_part.done', { ...at, content_index: 0, part });
    } else if (item.type === 'reasoning') {
      const part = { type: 'summary_text' as const, text: block.text };
      item.summary.push(part);
      out += this.event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: block.text });
      out += this.event('response.reasoning_summary_part.done', { ...at, summary_index: 0, part });
    } else {
      item.arguments = block.text;
      out += this.event('response.function_call_arguments.done', { ...at, name: item.name, arguments: block.text });
    }
    return out + this.event('response.output_item.done', { output_index: block.outputIndex, item });
  }

  private event(type: string, fields: Record<string, unknown>): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.seq++, ...fields })}\n\n`;
  }
}
