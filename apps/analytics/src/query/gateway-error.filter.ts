import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '@gatehouse/formats/errors';
import { logger } from '@gatehouse/observability/logger';

/** Renders errors of the analytics API as {"error":{message,type,code,param}}; store errors become a 500 without SQL details. */
@Catch()
export class AnalyticsErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof GatewayError) {
      reply.status(error.status).send({ error: { message: error.message, type: error.type, code: error.code, param: error.param } });
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      reply.status(status).send({ error: { message: error.message, type: status === 404 ? 'not_found_error' : 'api_error', code: null, param: null } });
      return;
    }
    logger().error({ err: (error as Error).message }, 'analytics query failed');
    reply.status(500).send({ error: { message: 'analytics query failed', type: 'api_error', code: null, param: null } });
  }
}
