import type { IncomingMessage } from 'node:http';
import { type CredentialMask, newRequestId, traceContextFrom, type TraceContext } from '@gatehouse/observability';
import type { Attempt, ClientFormat, Endpoint, GuardrailSummary, CacheStatus, KeyRecord } from '@gatehouse/contracts';
import type { Usage } from '@gatehouse/formats';
import type { Placeholders } from '@gatehouse/guardrails';
import type { CachePlan } from './cache-plan';
import type { Admission } from '@gatehouse/spend';

/** What one request accumulates on its way through the pipeline; the trace is built from it at the end. */
export class RequestContext {
  readonly requestId = newRequestId();
  readonly tsStart = Date.now();
  readonly t0 = performance.now();
  private readonly traceparent: string | undefined;
  private traceContext: TraceContext | null = null;
  key: KeyRecord | null = null;
  modelRequested = '';
  provider: string | null = null;
  providerType: string | null = null;
  modelUpstream: string | null = null;
  attempts: Attempt[] = [];
  metadata: Record<string, string> = {};
  stream = false;
  ttftMs: number | null = null;
  status = 200;
  errorType: string | null = null;
  usage: Usage | null = null;
  /** Characters of output passed on to the client (text, thinking, tool arguments of a stream): what a cut stream is charged by. */
  outputChars = 0;
  requestBody: string | null = null;
  /** Credentials a secrets check matched in this request or its answer: masked in the trace and the error body. */
  secrets: CredentialMask | null = null;
  responseText: string | null = null;
  guardrails: GuardrailSummary = { action: 'none', policies: [], flagged: 0, redacted: 0, denied: 0 };
  guardrailsHeader: string | null = null;
  /** Shared by input and output guardrails so a value keeps its placeholder across stages. */
  placeholders: Placeholders | null = null;
  cacheStatus: CacheStatus = 'BYPASS';
  /** On a cache hit: the original request's cost. */
  costSavedUsd = 0;
  /** Set when this request uses the response cache (stored after the response when it qualifies). */
  cachePlan: CachePlan | null = null;
  /** What the limiter reserved for this request (null: no limits, or served without them); its headers go on the response. */
  admission: Admission | null = null;

  constructor(
    readonly format: ClientFormat,
    readonly endpoint: Endpoint,
    req: IncomingMessage,
  ) {
    const tp = req.headers.traceparent;
    this.traceparent = typeof tp === 'string' ? tp : undefined;
  }

  /** The W3C trace context, made on first use (the trace recorder, after the response) so that generating ids stays off the request path. */
  get trace(): TraceContext {
    if (this.traceContext === null) this.traceContext = traceContextFrom(this.traceparent);
    return this.traceContext;
  }

  elapsedMs(): number {
    return performance.now() - this.t0;
  }

  markFirstToken(): void {
    if (this.ttftMs === null) this.ttftMs = Math.round(this.elapsedMs() * 1000) / 1000;
  }
}
