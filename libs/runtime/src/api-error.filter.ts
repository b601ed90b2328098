import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { logger } from '@gatehouse/observability/logger';

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
};

/** Admin and analytics routes answer errors as {"error":{"message","type","param"}}; unexpected ones as 500 without internals. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let status = 500;
    let message = 'internal error; the server logged the details';
    let param: string | null = null;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const r = exception.getResponse();
      if (typeof r === 'string') message = r;
      else if (r && typeof r === 'object') {
        const o = r as { message?: unknown; param?: unknown; error?: { message?: string; param?: string } };
        if (o.error && typeof o.error === 'object') {
          message = o.error.message ?? message;
          param = o.error.param ?? null;
        } else {
          message = Array.isArray(o.message) ? o.message.join('; ') : String(o.message ?? exception.message);
          param = typeof o.param === 'string' ? o.param : null;
        }
      }
    } else if ((exception as { statusCode?: number })?.statusCode && (exception as { statusCode: number }).statusCode < 500) {
      status = (exception as { statusCode: number }).statusCode;
      message = (exception as Error).message;
    } else {
      logger().error({ err: exception }, 'unhandled error in an admin/analytics route');
    }
    reply.status(status).header('content-type', 'application/json').send(
      JSON.stringify({ error: { message, type: TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), param } }),
    );
  }
}
