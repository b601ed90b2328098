import type { CanonicalRequest } from '@gatehouse/formats';
import type { RequestContext } from './request-context';

/** Input-stage guardrails: may redact the request in place (then it is no longer passed through byte for byte) or throw a 400. */
export interface InputGuard {
  apply(ctx: RequestContext, request: CanonicalRequest): Promise<{ changed: boolean }> | { changed: boolean };
}
