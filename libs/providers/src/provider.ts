import type { ProviderType } from './provider-config';
import type { CanonicalEmbeddingsRequest, CanonicalEmbeddingsResponse, CanonicalRequest, CanonicalResponse, StreamEvent } from '@gatehouse/formats';

/** A fully built upstream HTTP request. The URL always comes from config, never from the client. */
export interface UpstreamRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Incremental parser of an upstream stream body (SSE, NDJSON or AWS event-stream). */
export interface StreamParser {
  /** Feed raw bytes as they arrive; returns the canonical events they complete. */
  push(chunk: Uint8Array): StreamEvent[];
  /** The upstream body ended; returns any final events (and throws nothing). */
  end(): StreamEvent[];
  /**
   * Pass-through of a stream the upstream frames otherwise than the client (Bedrock's event stream
   * around Anthropic events): the client-dialect bytes completed by push/end since the last call.
   * Absent: the upstream bytes go to the client as received.
   */
  relay?(): Uint8Array;
}

export interface UpstreamErrorInfo {
  /** Provider's error type/code when it sent one (e.g. "rate_limit_error"). */
  type: string;
  /** The provider's message, with anything that looks like a credential removed. */
  message: string;
}

/** A provider reached over HTTP. One folder per type under libs/providers/src/<type>/. */
export interface HttpProvider {
  readonly kind: 'http';
  readonly type: ProviderType;
  /** The client format whose request/response/stream bytes this provider accepts unchanged, if any. */
  readonly nativeFormat: 'openai' | 'anthropic' | null;
  /** When the native format depends on the model (Bedrock: Anthropic models only); overrides nativeFormat. */
  nativeFormatFor?(upstreamModel: string): 'openai' | 'anthropic' | null;
  /** Build the upstream request; may be async (request signing). Throws GatewayError for untranslatable fields. */
  chatRequest(req: CanonicalRequest, upstreamModel: string): UpstreamRequest | Promise<UpstreamRequest>;
  /**
   * Pass-through for a client speaking nativeFormat: the client's JSON body with only the model
   * (and for streams, usage reporting) changed; `clientHeaders` are the client's dialect headers
   * the gateway forwards (anthropic-beta, anthropic-version), or null.
   */
  passthroughRequest?(body: Record<string, unknown>, upstreamModel: string, clientHeaders?: Record<string, string> | null): UpstreamRequest | Promise<UpstreamRequest>;
  /**
   * Exact input-token counting offered by the provider (Anthropic's count_tokens, Gemini's
   * countTokens, both on Vertex): `body` is the client's Anthropic count_tokens body, `request` its
   * canonical form.
   */
  /**
   * How a pass-through answer is read when it is not a chat answer (Bedrock: InvokeModel's
   * Anthropic JSON, and its event stream whose parser relays Anthropic SSE). Absent:
   * parseChatResponse and createStreamParser.
   */
  passthroughResponse?: {
    parse(body: string, upstreamModel: string): CanonicalResponse;
    createStreamParser(upstreamModel: string): StreamParser;
  };
  countTokensRequest?(count: { body: Record<string, unknown>; request: CanonicalRequest }, upstreamModel: string): UpstreamRequest | Promise<UpstreamRequest>;
  /** The token count out of the provider's answer to countTokensRequest. */
  parseTokenCount?(body: string, upstreamModel: string): number;
  /**
   * The OpenAI Responses API served by the upstream itself (provider field `responses: native`): a
   * /v1/responses body is sent to it unchanged (model replaced) and its answer relayed as is; the
   * parser reads usage and content for guardrails and the trace. Absent: Responses are translated.
   */
  responses?: {
    request(body: Record<string, unknown>, upstreamModel: string): UpstreamRequest;
    parse(body: string, upstreamModel: string): CanonicalResponse;
    createStreamParser(upstreamModel: string): StreamParser;
  };
  parseChatResponse(body: string, upstreamModel: string): CanonicalResponse;
  createStreamParser(upstreamModel: string): StreamParser;
  embeddingsRequest?(req: CanonicalEmbeddingsRequest, upstreamModel: string): UpstreamRequest | Promise<UpstreamRequest>;
  parseEmbeddingsResponse?(body: string, upstreamModel: string): CanonicalEmbeddingsResponse;
  parseError(status: number, body: string): UpstreamErrorInfo;
}

/** A provider answered in-process (the built-in `mock`): no network, deterministic output. */
export interface LocalProvider {
  readonly kind: 'local';
  readonly type: ProviderType;
  complete(req: CanonicalRequest, upstreamModel: string): CanonicalResponse;
  stream(req: CanonicalRequest, upstreamModel: string): StreamEvent[];
  embed?(req: CanonicalEmbeddingsRequest, upstreamModel: string): CanonicalEmbeddingsResponse;
}

export type Provider = HttpProvider | LocalProvider;

/** The client format a target (provider and upstream model) accepts unchanged, if any. */
export function nativeFormatOf(provider: Provider, upstreamModel: string): 'openai' | 'anthropic' | null {
  if (provider.kind !== 'http') return null;
  return provider.nativeFormatFor ? provider.nativeFormatFor(upstreamModel) : provider.nativeFormat;
}
