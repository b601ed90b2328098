import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthRequest, Principal } from '@gatehouse/auth';

/** Whose rows a query may read: every team's (admin) or only these teams' (team-admin, viewer, a key with analytics: true). */
export type AnalyticsCaller = { kind: 'admin' } | { kind: 'team'; teams: readonly string[] };

export function callerOf(principal: Principal): AnalyticsCaller {
  return principal.teams === null ? { kind: 'admin' } : { kind: 'team', teams: principal.teams };
}

/** The analytics caller of a route guarded by AuthzGuard. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): AnalyticsCaller => {
  const principal = ctx.switchToHttp().getRequest<AuthRequest>().principal;
  if (!principal) throw new Error('@Caller() used on a route without AuthzGuard');
  return callerOf(principal);
});
