import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '@gatehouse/contracts';
import { logger } from '@gatehouse/observability';

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
};

interface ApiError {
  status: number;
  type: string;
  message: string;
  code: string | null;
  param: string | null;
  headers: Record<string, string>;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const typeOf = (status: number): string => TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');

/** A Nest HttpException: its body may be a string, Nest's {message}, or our {error:{message,param,code}}. */
function fromHttpException(e: HttpException): ApiError {
  const status = e.getStatus();
  const r = e.getResponse();
  let message = e.message;
  let param: string | null = null;
  let code: string | null = null;
  if (typeof r === 'string') message = r;
  else if (r && typeof r === 'object') {
    const o = r as { message?: unknown; param?: unknown; code?: unknown; error?: unknown };
    const inner = o.error && typeof o.error === 'object' ? (o.error as Record<string, unknown>) : o;
    const m = inner.message;
    message = Array.isArray(m) ? m.join('; ') : (str(m) ?? message);
    param = str(inner.param);
    code = str(inner.code);
  }
  return { status, type: typeOf(status), message, code, param, headers: {} };
}

function toApiError(e: unknown): ApiError {
  if (e instanceof GatewayError) return { status: e.status, type: e.type, message: e.message, code: e.code, param: e.param, headers: e.headers };
  if (e instanceof HttpException) return fromHttpException(e);
  const status = (e as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, type: typeOf(status), message: (e as Error).message, code: null, param: null, headers: {} };
  }
  logger().error({ err: e }, 'unhandled error in an admin/analytics route');
  return { status: 500, type: 'api_error', message: 'internal error; the server logged the details', code: null, param: null, headers: {} };
}

/**
 * Every route Nest serves (admin, analytics, health) answers errors in one shape,
 * {"error":{"message","type","code","param"}}: a GatewayError as it is, a Nest exception mapped by
 * status, anything unexpected as a 500 without internals (logged).
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const e = toApiError(exception);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply
      .status(e.status)
      .headers({ ...e.headers, 'content-type': 'application/json' })
      .send(JSON.stringify({ error: { message: e.message, type: e.type, code: e.code, param: e.param } }));
  }
}
