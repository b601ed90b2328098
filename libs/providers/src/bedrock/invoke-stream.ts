import type { Message } from '@smithy/eventstream-codec';
import { toUtf8 } from '@smithy/util-utf8';
import type { StreamEvent } from '@gatehouse/formats';
import { AnthropicStreamParser } from '../anthropic/stream';
import type { StreamParser } from '../provider';
import { maskSecrets } from '../shared/redact';
import { EventStreamFrames, exceptionMessage, headerString } from './event-frames';

/** Bedrock stream exceptions (`:exception-type`) as the Anthropic error types a client of /v1/messages knows. */
const ANTHROPIC_ERROR: Readonly<Record<string, string>> = {
  throttlingException: 'rate_limit_error',
  serviceUnavailableException: 'overloaded_error',
  validationException: 'invalid_request_error',
};

/**
 * InvokeModelWithResponseStream of an Anthropic model: each event-stream `chunk` event carries an
 * Anthropic stream event as base64 JSON in `bytes`. The event's JSON goes to the client unchanged
 * as Anthropic SSE (`event: <type>\ndata: <json>\n\n`, collected for relay()), and is read by the
 * Anthropic stream parser for the canonical events (usage, content for guardrails). A stream
 * exception, a corrupt frame or a cut-off body becomes an Anthropic `error` event.
 */
export class BedrockInvokeStreamParser implements StreamParser {
  private readonly frames = new EventStreamFrames();
  private readonly anthropic: AnthropicStreamParser;
  private sse = '';
  private failed = false;

  constructor(upstreamModel: string) {
    this.anthropic = new AnthropicStreamParser(upstreamModel);
  }

  push(chunk: Uint8Array): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.failed) return out;
    for (const message of this.frames.push(chunk)) {
      this.onMessage(message, out);
      if (this.failed) return out;
    }
    if (this.frames.error !== null) this.fail(out, 'api_error', this.frames.error);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.failed) return out;
    if (this.frames.pending > 0) {
      this.fail(out, 'api_error', 'bedrock stream ended inside an event-stream frame');
      return out;
    }
    const last = this.anthropic.end();
    const error = last.find((e) => e.type === 'error');
    if (error && error.type === 'error') this.sse += errorSse(error.error.type === 'upstream_error' ? 'api_error' : error.error.type, error.error.message);
    return last;
  }

  /** The Anthropic SSE completed since the last call, for the client. */
  relay(): Uint8Array {
    if (this.sse === '') return EMPTY;
    const out = Buffer.from(this.sse, 'utf8');
    this.sse = '';
    return out;
  }

  private onMessage(message: Message, out: StreamEvent[]): void {
    const kind = headerString(message, ':message-type');
    if (kind === 'exception' || kind === 'error') {
      const aws = headerString(message, ':exception-type') ?? headerString(message, ':error-code') ?? '';
      const text = exceptionMessage(message) ?? headerString(message, ':error-message') ?? 'bedrock stream error';
      this.fail(out, ANTHROPIC_ERROR[aws] ?? 'api_error', aws ? `${aws}: ${text}` : text);
      return;
    }
    if (headerString(message, ':event-type') !== 'chunk') return;
    let json: string;
    let event: Record<string, unknown>;
    try {
      const bytes = (JSON.parse(toUtf8(message.body)) as { bytes?: unknown }).bytes;
      if (typeof bytes !== 'string') throw new Error('no bytes');
      json = Buffer.from(bytes, 'base64').toString('utf8');
      event = JSON.parse(json) as Record<string, unknown>;
    } catch {
      this.fail(out, 'api_error', 'bedrock sent a chunk that is not a base64 JSON event');
      return;
    }
    if (typeof event.type !== 'string' || !/^[a-z_]{1,64}$/.test(event.type)) {
      this.fail(out, 'api_error', 'bedrock sent a chunk without an event type');
      return;
    }
    this.sse += `event: ${event.type}\ndata: ${json.replace(/\r?\n/g, ' ')}\n\n`;
    for (const e of this.anthropic.pushEvent(event)) out.push(e);
  }

  private fail(out: StreamEvent[], type: string, message: string): void {
    this.failed = true;
    const event = { type: 'error', error: { type, message: maskSecrets(message) } };
    this.sse += errorSse(type, event.error.message);
    for (const e of this.anthropic.pushEvent(event)) out.push(e);
  }
}

const errorSse = (type: string, message: string): string => `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`;

const EMPTY = new Uint8Array(0);
