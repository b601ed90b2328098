import type { ServerResponse } from 'node:http';
import { GatewayError } from '@gatehouse/contracts';
import { credentialMask, type Logger } from '@gatehouse/observability';
import type { ClientCodec } from '../pipeline/client-codec';
import type { RequestContext } from '../pipeline/request-context';

/** Any failure becomes an error in the caller's format (configured credentials masked by value); an unexpected one is logged and answered as 500 without details. */
export function sendError(res: ServerResponse, codec: ClientCodec, ctx: RequestContext, e: unknown, log: Logger): void {
  const err = e instanceof GatewayError ? e : internalError(e, ctx, log);
  ctx.status = err.status;
  ctx.errorType = ctx.errorType ?? err.type;
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const r = codec.renderError(err);
  res.writeHead(r.status, {
    ...ctx.admission?.headers,
    ...r.headers,
    'content-type': 'application/json',
    'x-gatehouse-request-id': ctx.requestId,
    'x-gatehouse-attempts': String(ctx.attempts.length),
    'x-gatehouse-cache': ctx.cacheStatus,
  });
  const body = credentialMask().mask(r.body);
  res.end(ctx.secrets ? ctx.secrets.mask(body) : body);
}

function internalError(e: unknown, ctx: RequestContext, log: Logger): GatewayError {
  log.error({ err: e, request_id: ctx.requestId }, 'unexpected error while handling a request');
  return new GatewayError(500, 'api_error', `internal error (request ${ctx.requestId}); the gateway logged the details`);
}
