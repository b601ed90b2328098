import type { RequestContext } from './request-context';

/** The x-gatehouse-* headers every /v1 response carries. */
export function gatewayHeaders(ctx: RequestContext, contentType: string): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': contentType,
    'x-gatehouse-request-id': ctx.requestId,
    'x-gatehouse-attempts': String(ctx.attempts.length),
    'x-gatehouse-cache': ctx.cacheStatus,
  };
  if (ctx.provider) h['x-gatehouse-provider'] = ctx.provider;
  if (ctx.modelUpstream) h['x-gatehouse-model'] = ctx.modelUpstream;
  if (ctx.guardrailsHeader) h['x-gatehouse-guardrails'] = ctx.guardrailsHeader;
  if (ctx.admission?.headers) Object.assign(h, ctx.admission.headers);
  return h;
}

export const SSE_HEADERS = { 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' } as const;
