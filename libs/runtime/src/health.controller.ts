import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { registry } from '@gatehouse/observability';
import { ReadinessRegistry } from './readiness';

@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply) {
    const r = await this.readiness.evaluate();
    reply.status(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not_ready', degraded: r.degraded, checks: r.checks });
  }

  @Get('metrics')
  @Header('content-type', registry.contentType)
  metrics() {
    return registry.metrics();
  }
}
