import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditLog } from '../audit/audit-log';
import { OidcSignIn } from './oidc-sign-in';
import { FLOW_COOKIE, SESSION_COOKIE, Sessions } from './session';

/** Only a path of this site (no scheme, no //host) is a place to land after sign-in. */
function landing(raw: unknown): string {
  return typeof raw === 'string' && /^\/(?![/\\])/.test(raw) ? raw : '/console';
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();
}

/**
 * OIDC sign-in for the console: /auth/oidc/login sends the browser to the provider (authorization
 * code + PKCE), /auth/oidc/callback turns the answer into a sealed session cookie and lands on the
 * console, /auth/oidc/logout ends the session. /auth/options tells the console what to offer.
 */
@Controller('auth')
export class OidcController {
  constructor(
    private readonly signIn: OidcSignIn,
    private readonly sessions: Sessions,
    private readonly audit: AuditLog,
  ) {}

  /** What the console's sign-in page offers, and whether this browser already holds a valid session cookie (HttpOnly: the page cannot tell). */
  @Get('options')
  options(@Req() req: FastifyRequest) {
    return { oidc: this.signIn.config !== null, session: this.sessions.user(req.headers.cookie) !== null };
  }

  @Get('oidc/login')
  async login(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('redirect') redirect?: string) {
    const { url, flow } = await this.signIn.start(this.redirectUri(req), landing(redirect));
    reply.header('set-cookie', this.sessions.flowCookie(flow, this.secure(req))).redirect(url, 302);
  }

  @Get('oidc/callback')
  async callback(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const flow = this.sessions.flow(req.headers.cookie);
    const secure = this.secure(req);
    if (!flow) {
      reply.code(400).send({ error: { message: 'sign-in expired or started elsewhere: open /auth/oidc/login again', type: 'invalid_request_error', param: 'state' } });
      return;
    }
    const redirectUri = this.redirectUri(req);
    const user = await this.signIn.finish(new URL(req.url, redirectUri), flow, redirectUri);
    this.audit.record({ actor: `oidc:${user.label}`, role: user.role }, req, {
      action: 'auth.sign_in',
      targetType: 'session',
      targetId: user.subject,
      teams: user.teams,
      before: null,
      after: { subject: user.subject, label: user.label, role: user.role, teams: user.teams },
      status: 302,
    });
    reply.header('set-cookie', [this.sessions.sessionCookie(user, secure), Sessions.clear(FLOW_COOKIE, secure)]).redirect(flow.redirect, 302);
  }

  @Post('oidc/logout')
  @HttpCode(204)
  logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    reply.header('set-cookie', Sessions.clear(SESSION_COOKIE, this.secure(req))).code(204).send();
  }

  /** auth.oidc.redirect_url, else this gateway's own callback as the browser reached it. */
  private redirectUri(req: FastifyRequest): string {
    const configured = this.signIn.config?.redirect_url;
    if (configured) return configured;
    const proto = firstHeader(req.headers['x-forwarded-proto']) ?? req.protocol;
    const host = firstHeader(req.headers['x-forwarded-host']) ?? req.headers.host;
    return `${proto}://${host}/auth/oidc/callback`;
  }

  private secure(req: FastifyRequest): boolean {
    return this.redirectUri(req).startsWith('https://');
  }
}
