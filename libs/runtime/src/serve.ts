import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { answerClientError } from './client-error';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DynamicModule, LoggerService } from '@nestjs/common';
import type { Logger } from '@gatehouse/observability';
import type { Runtime } from './runtime';
import { listenHost } from './settings';

/**
 * The /v1 hot path: a plain node:http handler that takes its services from the Nest container.
 * Nest (Fastify adapter) serves everything else: admin, analytics, health, dashboard.
 */
export interface HotPath {
  matches(url: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
}
export const HOT_PATH = Symbol('HOT_PATH');

/** Where the module that owns the hot path (the ingress) leaves it for the HTTP server. */
export class HotPathHolder {
  handler: HotPath | null = null;
}

class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log(message: unknown, context?: unknown) { this.pino.debug({ context }, String(message)); }
  warn(message: unknown, context?: unknown) { this.pino.warn({ context }, String(message)); }
  error(message: unknown, trace?: unknown, context?: unknown) { this.pino.error({ context, trace }, String(message)); }
  debug(message: unknown, context?: unknown) { this.pino.debug({ context }, String(message)); }
  verbose(message: unknown, context?: unknown) { this.pino.trace({ context }, String(message)); }
}

/**
 * Many clients send `content-type: application/json` on DELETE and other body-less calls; Fastify's
 * default parser answers those with 400 "Body cannot be empty". An empty body is no body; anything
 * else must be valid JSON (400 naming the problem).
 */
function acceptEmptyJsonBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      const err = new Error(`request body is not valid JSON: ${(e as Error).message}`) as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
}

export async function serve(runtime: Runtime, root: DynamicModule, port: number, host = listenHost(runtime.role, runtime.env)): Promise<NestFastifyApplication> {
  let hot: HotPath | null = null;
  const adapter = new FastifyAdapter({
    logger: false,
    bodyLimit: runtime.config.limits.max_body_bytes,
    clientErrorHandler: answerClientError,
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
      createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
        if (hot !== null && hot.matches(req.url ?? '')) hot.handle(req, res);
        else handler(req, res);
      }),
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { logger: new PinoNestLogger(runtime.logger), abortOnError: false, bodyParser: false });
  acceptEmptyJsonBodies(app);
  hot = app.get(HotPathHolder).handler;
  await app.listen(port, host);
  return app;
}
