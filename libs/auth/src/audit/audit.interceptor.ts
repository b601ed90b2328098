import { HttpStatus, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { ModuleRef, Reflector } from '@nestjs/core';
import { from, type Observable, switchMap, tap } from 'rxjs';
import type { AuthRequest } from '../auth-request';
import { AuditLog } from './audit-log';
import { AUDITED, type AuditSpec } from './audit-spec';

/** The teams a target names: `team`, `teams`, a policy's `scope.teams`. */
function teamsOf(state: unknown): string[] {
  if (!state || typeof state !== 'object') return [];
  const s = state as { team?: unknown; teams?: unknown; policy?: { scope?: { teams?: unknown } }; scope?: { teams?: unknown } };
  const out: string[] = [];
  if (typeof s.team === 'string') out.push(s.team);
  for (const list of [s.teams, s.scope?.teams, s.policy?.scope?.teams]) if (Array.isArray(list)) out.push(...list.filter((t): t is string => typeof t === 'string'));
  return out;
}

/** Records one audit event per successful call of an @Audited route: who, what, before and after (secrets removed), request id, source IP. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditLog,
    private readonly ref: ModuleRef,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDITED, ctx.getHandler());
    if (!spec) return next.handle();
    const http = ctx.switchToHttp();
    const req = http.getRequest<AuthRequest>();
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ?? (http.getRequest<{ method?: string }>().method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return from(Promise.resolve(spec.before?.(req, this.ref) ?? null)).pipe(
      switchMap((before) =>
        next.handle().pipe(
          tap((answer) => {
            if (!req.principal) return;
            const after = spec.after ? spec.after(answer) : answer;
            this.audit.record(req.principal, req, {
              action: spec.action,
              targetType: spec.target,
              targetId: spec.id(req, answer),
              teams: [...(req.scopeTeams ?? []), ...teamsOf(before), ...teamsOf(after)],
              before,
              after,
              status,
            });
          }),
        ),
      ),
    );
  }
}
