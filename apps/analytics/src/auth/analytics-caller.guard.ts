import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { KeyDirectory, presentedKey } from '@gatehouse/keys';
import { AdminGuard } from '@gatehouse/runtime';
import { resolveCaller, type AnalyticsCaller } from './analytics-caller';

interface CallerRequest {
  headers: IncomingHttpHeaders;
  analyticsCaller?: AnalyticsCaller;
}

/** Analytics routes: the admin token or a key with analytics: true (401/403 otherwise); the caller is left on the request for @Caller(). */
@Injectable()
export class AnalyticsCallerGuard implements CanActivate {
  constructor(
    private readonly admin: AdminGuard,
    private readonly keys: KeyDirectory,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<CallerRequest>();
    req.analyticsCaller = resolveCaller(req.headers, this.admin, this.keys, presentedKey(req.headers));
    return true;
  }
}

/** The caller AnalyticsCallerGuard resolved. */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext): AnalyticsCaller => {
  const caller = ctx.switchToHttp().getRequest<CallerRequest>().analyticsCaller;
  if (!caller) throw new Error('@Caller() used on a route without AnalyticsCallerGuard');
  return caller;
});
