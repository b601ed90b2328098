import type { IncomingMessage } from 'node:http';
import type { ClientFormat, Endpoint, GatewayError } from '@gatehouse/contracts';
import { type CanonicalRequest, type CanonicalResponse, type StreamEvent, decodeOpenAIChat, decodeOpenAIChatNative, encodeOpenAIChat, OpenAIChatStreamEncoder, renderOpenAIError, decodeAnthropicMessages, decodeAnthropicNative, encodeAnthropicMessage, AnthropicStreamEncoder, renderAnthropicError, decodeOpenAIResponses, encodeOpenAIResponse, OpenAIResponsesStreamEncoder } from '@gatehouse/formats';

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
  /** The endpoint recorded in the trace. */
  readonly endpoint: Endpoint;
  decode(body: unknown): { request: CanonicalRequest; includeUsage: boolean };
  encodeResponse(res: CanonicalResponse, id: string, model: string): string;
  streamEncoder(id: string, model: string, includeUsage: boolean): StreamEncoder;
  renderError(err: GatewayError): RenderedError;
  /**
   * Native pass-through (optional): what the gateway reads of a body the canonical model cannot
   * carry, for targets of these provider types whose model speaks the client's format (Bedrock:
   * Anthropic models), which get the client's body unchanged.
   */
  readonly native?: { providerTypes: readonly string[]; decode(body: unknown): { request: CanonicalRequest; includeUsage: boolean } };
  /** The client's headers a pass-through request carries upstream (e.g. anthropic-beta); null when none. */
  passthroughHeaders?(req: IncomingMessage): Record<string, string> | null;
}

export const openaiCodec: ClientCodec = {
  format: 'openai',
  endpoint: 'chat',
  decode: (body) => decodeOpenAIChat(body),
  encodeResponse: (res, id, model) => JSON.stringify(encodeOpenAIChat(res, { id, model, created: Math.floor(Date.now() / 1000) })),
  streamEncoder: (id, model, includeUsage) =>
    new OpenAIChatStreamEncoder({ id, model, created: Math.floor(Date.now() / 1000), includeUsage }),
  renderError: (err) => renderOpenAIError(err),
  native: { providerTypes: ['openai', 'azure-openai', 'openai-compatible'], decode: (body) => decodeOpenAIChatNative(body) },
};

export const anthropicCodec: ClientCodec = {
  format: 'anthropic',
  endpoint: 'messages',
  decode: (body) => ({ request: decodeAnthropicMessages(body).request, includeUsage: true }),
  encodeResponse: (res, id, model) => JSON.stringify(encodeAnthropicMessage(res, { id, model })),
  streamEncoder: (id, model) => new AnthropicStreamEncoder({ id, model }),
  renderError: (err) => renderAnthropicError(err),
  native: { providerTypes: ['anthropic', 'bedrock'], decode: (body) => ({ request: decodeAnthropicNative(body).request, includeUsage: true }) },
  passthroughHeaders: (req) => forwarded(req, ANTHROPIC_HEADERS),
};

const ANTHROPIC_HEADERS = ['anthropic-beta', 'anthropic-version'] as const;
/** Header values forwarded upstream: printable ASCII of bounded length only. */
const SAFE_VALUE = /^[\x20-\x7e]{1,512}$/;

function forwarded(req: IncomingMessage, names: readonly string[]): Record<string, string> | null {
  let out: Record<string, string> | null = null;
  for (const name of names) {
    const v = req.headers[name];
    if (typeof v === 'string' && SAFE_VALUE.test(v)) (out ??= {})[name] = v;
  }
  return out;
}


const now = () => Math.floor(Date.now() / 1000);
/** Response ids are resp_<hex>; the executor mints one id per request whatever the dialect. */
const responseId = (id: string) => `resp_${id.slice(id.indexOf('_') + 1)}`;

export const openaiResponsesCodec: ClientCodec = {
  format: 'openai-responses',
  endpoint: 'responses',
  decode: (body) => decodeOpenAIResponses(body),
  encodeResponse: (res, id, model) => JSON.stringify(encodeOpenAIResponse(res, { id: responseId(id), model, createdAt: now() })),
  streamEncoder: (id, model) => new OpenAIResponsesStreamEncoder({ id: responseId(id), model, createdAt: now() }),
  renderError: (err) => renderOpenAIError(err),
};
