import { ZERO_USAGE, type StreamEvent, type Usage } from '../canonical';
import { mergeUsage } from '../usage';
import { openAIFinishReason, openAIUsage, type OpenAIFinishReason } from './chat-response';

const json = JSON.stringify;

/**
 * Canonical stream events → OpenAI `chat.completion.chunk` SSE text, chunk by chunk. Chunks are
 * built as strings around a prefix computed once per stream. Tool calls are numbered among tool
 * calls (OpenAI's `index`), whatever their canonical block index.
 */
export class OpenAIChatStreamEncoder {
  private readonly base: string;
  private readonly choiceHead: string;
  private readonly choiceTail: string;
  private readonly includeUsage: boolean;
  private readonly usage: Usage = { ...ZERO_USAGE };
  private readonly toolIndex = new Map<number, number>();
  private started = false;
  private stopped = false;
  private done = false;

  constructor(opts: { id: string; model: string; created: number; includeUsage: boolean }) {
    this.includeUsage = opts.includeUsage;
    this.base = `data: {"id":${json(opts.id)},"object":"chat.completion.chunk","created":${Math.floor(opts.created)},"model":${json(opts.model)},"system_fingerprint":null,"choices":[`;
    this.choiceHead = `${this.base}{"index":0,"delta":`;
    this.choiceTail = `]${opts.includeUsage ? ',"usage":null' : ''}}\n\n`;
  }

  push(ev: StreamEvent): string {
    if (this.done) return '';
    switch (ev.type) {
      case 'start':
        return this.begin();
      case 'text_delta':
        return ev.text === '' ? this.begin() : this.begin() + this.delta(`{"content":${json(ev.text)}}`);
      case 'thinking_delta':
        return ev.text === '' ? this.begin() : this.begin() + this.delta(`{"reasoning_content":${json(ev.text)}}`);
      case 'tool_call_start': {
        const index = this.toolIndexOf(ev.index);
        return (
          this.begin() +
          this.delta(
            `{"tool_calls":[{"index":${index},"id":${json(ev.id)},"type":"function","function":{"name":${json(ev.name)},"arguments":""}}]}`,
          )
        );
      }
      case 'tool_call_delta': {
        if (ev.arguments === '') return this.begin();
        const index = this.toolIndexOf(ev.index);
        return this.begin() + this.delta(`{"tool_calls":[{"index":${index},"function":{"arguments":${json(ev.arguments)}}}]}`);
      }
      case 'block_stop':
        return '';
      case 'usage':
        mergeUsage(this.usage, ev.usage);
        return '';
      case 'stop':
        if (this.stopped) return '';
        return this.begin() + this.finishChunk(openAIFinishReason(ev.stop_reason));
      case 'error':
        return this.error(ev.error);
    }
  }

  /** The end of the stream: the finish chunk if no stop came, the usage chunk when asked for, [DONE]. */
  finish(): string {
    if (this.done) return '';
    let out = this.begin();
    if (!this.stopped) out += this.finishChunk('stop');
    if (this.includeUsage) out += `${this.base}],"usage":${json(openAIUsage(this.usage))}}\n\n`;
    this.done = true;
    return `${out}data: [DONE]\n\n`;
  }

  /** An error after the response started: OpenAI's in-stream error object; nothing follows it. */
  error(err: { type: string; message: string }): string {
    if (this.done) return '';
    this.done = true;
    return `data: {"error":{"message":${json(err.message)},"type":${json(err.type)},"code":null,"param":null}}\n\n`;
  }

  private begin(): string {
    if (this.started) return '';
    this.started = true;
    return this.delta('{"role":"assistant","content":"","refusal":null}');
  }

  private delta(delta: string): string {
    return `${this.choiceHead}${delta},"logprobs":null,"finish_reason":null}${this.choiceTail}`;
  }

  private finishChunk(reason: OpenAIFinishReason): string {
    this.stopped = true;
    return `${this.choiceHead}{},"logprobs":null,"finish_reason":"${reason}"}${this.choiceTail}`;
  }

  private toolIndexOf(blockIndex: number): number {
    let index = this.toolIndex.get(blockIndex);
    if (index === undefined) {
      index = this.toolIndex.size;
      this.toolIndex.set(blockIndex, index);
    }
    return index;
  }
}
