import { Controller, Get, NotFoundException, Param, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { join } from 'node:path';
import { AuthzGuard, CurrentPrincipal, Requires, type Principal } from '@gatehouse/auth';
import { sendStatic } from '../dashboard/static-page';

/** Built by `npm run build` (esbuild, from apps/analytics/console) into dist next to this file. */
const PUBLIC_DIR = join(__dirname, 'public');
const ASSETS: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/**
 * The console: one page (analytics, traces, keys, teams, policies) that calls the analytics and admin
 * APIs with the token the user signed in with (session storage, never the URL). `/` redirects here.
 */
@Controller()
export class ConsoleController {
  @Get()
  root(@Res() reply: FastifyReply) {
    reply.redirect('/console', 302);
  }

  @Get('console')
  async index(@Res() reply: FastifyReply) {
    await sendStatic(reply, PUBLIC_DIR, 'index.html', 'text/html; charset=utf-8');
  }

  /** Who is signed in (a bearer token or the OIDC session cookie): role and teams (null: every team); 401/403 otherwise. */
  @Get('console/session')
  @UseGuards(AuthzGuard)
  @Requires('analytics:read', 'caller')
  session(@CurrentPrincipal() principal: Principal) {
    return { actor: principal.actor, role: principal.role, teams: principal.teams, via: principal.source };
  }

  @Get('console/assets/:asset')
  async asset(@Param('asset') asset: string, @Res() reply: FastifyReply) {
    const type = ASSETS[asset];
    if (!type) throw new NotFoundException();
    await sendStatic(reply, PUBLIC_DIR, asset, type);
  }
}
