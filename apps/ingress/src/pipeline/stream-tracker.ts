import type { StreamEvent, Usage } from '@gatehouse/formats';
import type { RequestContext } from './request-context';

/** Follows a canonical event stream: first-token time, usage (later values win per field), error, text. */
export class StreamTracker {
  usage: Usage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
  sawUsage = false;
  error: { type: string; message: string } | null = null;
  private readonly text: string[] | null;

  constructor(private readonly ctx: RequestContext, keepText: boolean) {
    this.text = keepText ? [] : null;
  }

  track(ev: StreamEvent): void {
    switch (ev.type) {
      case 'text_delta':
        this.ctx.markFirstToken();
        this.ctx.outputChars += ev.text.length;
        if (this.text) this.text.push(ev.text);
        break;
      case 'thinking_delta':
        this.ctx.markFirstToken();
        this.ctx.outputChars += ev.text.length;
        break;
      case 'tool_call_start':
        this.ctx.markFirstToken();
        break;
      case 'tool_call_delta':
        this.ctx.markFirstToken();
        this.ctx.outputChars += ev.arguments.length;
        if (this.text) this.text.push(ev.arguments);
        break;
      case 'usage':
        this.sawUsage = true;
        Object.assign(this.usage, ev.usage);
        break;
      case 'error':
        this.error = ev.error;
        break;
      default:
        break;
    }
  }

  collectedText(): string | null {
    return this.text ? this.text.join('') : null;
  }
}
