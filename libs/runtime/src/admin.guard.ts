import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import { RUNTIME, type Runtime } from './runtime';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Admin routes: `Authorization: Bearer <GATEHOUSE_ADMIN_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    this.expected = digest(runtime.adminToken);
  }

  isAdmin(authorization: string | undefined): boolean {
    const m = authorization ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
    return !!m && timingSafeEqual(digest(m[1].trim()), this.expected);
  }

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (this.isAdmin(req.headers.authorization)) return true;
    throw new UnauthorizedException('admin token required: Authorization: Bearer <GATEHOUSE_ADMIN_TOKEN>');
  }
}
