import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const PUBLIC_DIR = join(__dirname, 'public');
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The dashboard: a static page (no CDN, no external script) that calls /analytics/* with a token from sessionStorage. */
@Controller('dashboard')
export class DashboardController {
  @Get()
  async index(@Res() reply: FastifyReply) {
    await this.send(reply, 'index.html', 'text/html; charset=utf-8');
  }

  @Get(':asset')
  async asset(@Param('asset') asset: string, @Res() reply: FastifyReply) {
    const type = ASSETS[asset];
    if (!type) throw new NotFoundException();
    await this.send(reply, asset, type);
  }

  private async send(reply: FastifyReply, file: string, type: string): Promise<void> {
    const body = await readFile(join(PUBLIC_DIR, file), 'utf8');
    reply.headers({ ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' }).send(body);
  }
}
