import type { ClientFormat } from '@gatehouse/contracts/trace';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '@gatehouse/formats/canonical';
import type { GatewayError } from '@gatehouse/contracts/gateway-error';
import { decodeOpenAIChat } from '@gatehouse/formats/openai/chat-request';
import { encodeOpenAIChat } from '@gatehouse/formats/openai/chat-response';
import { OpenAIChatStreamEncoder } from '@gatehouse/formats/openai/chat-stream';
import { renderOpenAIError } from '@gatehouse/formats/openai/error';
import { decodeAnthropicMessages } from '@gatehouse/formats/anthropic/messages-request';
import { encodeAnthropicMessage } from '@gatehouse/formats/anthropic/messages-response';
import { AnthropicStreamEncoder } from '@gatehouse/formats/anthropic/messages-stream';
import { renderAnthropicError } from '@gatehouse/formats/anthropic/error';

export interface StreamEncoder {
  push(ev: StreamEvent): string;
  finish(): string;
  error(err: { type: string; message: string }): string;
}

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The client side of a chat endpoint: decode its dialect, encode responses, streams and errors back in it. */
export interface ClientCodec {
  readonly format: ClientFormat;
  decode(body: unknown): { request: CanonicalRequest; includeUsage: boolean };
  encodeResponse(res: CanonicalResponse, id: string, model: string): string;
  streamEncoder(id: string, model: string, includeUsage: boolean): StreamEncoder;
  renderError(err: GatewayError): RenderedError;
}

export const openaiCodec: ClientCodec = {
  format: 'openai',
  decode: (body) => decodeOpenAIChat(body),
  encodeResponse: (res, id, model) => JSON.stringify(encodeOpenAIChat(res, { id, model, created: Math.floor(Date.now() / 1000) })),
  streamEncoder: (id, model, includeUsage) =>
    new OpenAIChatStreamEncoder({ id, model, created: Math.floor(Date.now() / 1000), includeUsage }),
  renderError: (err) => renderOpenAIError(err),
};

export const anthropicCodec: ClientCodec = {
  format: 'anthropic',
  decode: (body) => ({ request: decodeAnthropicMessages(body).request, includeUsage: true }),
  encodeResponse: (res, id, model) => JSON.stringify(encodeAnthropicMessage(res, { id, model })),
  streamEncoder: (id, model) => new AnthropicStreamEncoder({ id, model }),
  renderError: (err) => renderAnthropicError(err),
};

