import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { GatewayError } from '@gatehouse/contracts';
import type { AuthRequest } from './auth-request';
import { Authenticator } from './authenticator';
import { denial, type Scope } from './permissions';
import type { Principal } from './principal';
import { REQUIRES, type RouteRequirement } from './requires.decorator';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A change sent with a cookie from a page of another origin (defence in depth beside SameSite=Strict). */
function crossSiteWrite(req: AuthRequest): boolean {
  const origin = req.headers.origin;
  if (!origin || SAFE_METHODS.has(req.method ?? 'GET')) return false;
  const host = String(req.headers['x-forwarded-host'] ?? req.headers.host ?? '').split(',')[0]!.trim();
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/**
 * The one authorization layer of the admin and analytics APIs: authenticates the caller, resolves
 * the team scope the route declared with @Requires, and answers 403 naming the missing permission
 * (e.g. `requires keys:write on team "b"`). A route without @Requires is refused (fail closed).
 * Leaves the principal, the resolved teams and a request id on the request.
 */
@Injectable()
export class AuthzGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly ref: ModuleRef,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const requirement = this.reflector.get<RouteRequirement | undefined>(REQUIRES, ctx.getHandler());
    if (!requirement) throw new GatewayError(403, 'permission_error', `${ctx.getClass().name}.${ctx.getHandler().name} declares no permission`, { code: 'permission_denied' });
    const incoming = req.headers['x-request-id'];
    req.requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const principal = this.authenticator.principal(req.headers);
    if (principal.source === 'session' && crossSiteWrite(req)) {
      throw new GatewayError(403, 'permission_error', `a console session cannot make changes from another origin (${String(req.headers.origin).slice(0, 100)})`, { code: 'cross_origin' });
    }
    req.principal = principal;
    const scope = await this.scope(requirement, req);
    req.scopeTeams = scope.kind === 'teams' ? scope.teams : [];
    const missing = denial(principal, requirement.permission, scope);
    if (missing) throw new GatewayError(403, 'permission_error', missing, { code: 'permission_denied' });
    return true;
  }

  private async scope({ scope }: RouteRequirement, req: AuthRequest): Promise<Scope> {
    if (scope === 'global' || scope === 'caller') return { kind: scope };
    const teams = await scope(req, this.ref);
    if (teams === undefined) return { kind: 'caller' };
    return { kind: 'teams', teams: typeof teams === 'string' ? [teams] : teams };
  }
}

/** The caller AuthzGuard authenticated. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthRequest>().principal;
  if (!principal) throw new Error('@CurrentPrincipal() used on a route without AuthzGuard');
  return principal;
});

/** True when the principal may see this team (all teams for an admin). */
export function seesTeam(principal: Principal, team: string): boolean {
  return principal.teams === null || principal.teams.includes(team);
}
