import type { CanonicalResponse, StreamEvent } from '@gatehouse/formats';
import type { RequestContext } from './request-context';

type MaybePromise<T> = T | Promise<T>;

/** Output-stage guardrails of one request. Deny throws a GatewayError (guardrail_violation). */
export interface OutputGuardSession {
  /** Checks (and redacts in place) a whole response; true when the text changed. */
  checkResponse(res: CanonicalResponse): MaybePromise<boolean>;
  /** Filters a stream event by event; null means an enforced deny fired: stop the stream. */
  streamFilter(): StreamFilter;
}

export interface StreamFilter {
  push(ev: StreamEvent): MaybePromise<StreamEvent[] | null>;
  end(): MaybePromise<StreamEvent[] | null>;
  /** The client-facing message when the stream was stopped. */
  denial(): { type: string; message: string };
}

export interface OutputGuard {
  /** null when no output check is in scope (then the response may pass through untouched). */
  session(ctx: RequestContext): OutputGuardSession | null;
}
