import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { join } from 'node:path';
import { sendStatic } from './static-page';

const PUBLIC_DIR = join(__dirname, 'public');
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};
/** The dashboard: a static page (no CDN, no external script) that calls /analytics/* with a token from sessionStorage. */
@Controller('dashboard')
export class DashboardController {
  @Get()
  async index(@Res() reply: FastifyReply) {
    await sendStatic(reply, PUBLIC_DIR, 'index.html', 'text/html; charset=utf-8');
  }

  @Get(':asset')
  async asset(@Param('asset') asset: string, @Res() reply: FastifyReply) {
    const type = ASSETS[asset];
    if (!type) throw new NotFoundException();
    await sendStatic(reply, PUBLIC_DIR, asset, type);
  }
}
