import { Global, Inject, Module } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { KeysModule } from '@gatehouse/keys';
import { ReadinessRegistry, ViewModule } from '@gatehouse/runtime';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditLog } from './audit/audit-log';
import { Authenticator } from './authenticator';
import { AuthzGuard } from './authz.guard';
import { OidcController } from './oidc/oidc.controller';
import { OidcSignIn } from './oidc/oidc-sign-in';
import { Sessions } from './oidc/session';
import { TokenDirectory } from './tokens/token-directory';
import { TokenService } from './tokens/token.service';
import { TokensController } from './tokens/tokens.controller';

const providers = [TokenDirectory, TokenService, Sessions, Authenticator, AuthzGuard, AuditLog, AuditInterceptor, OidcSignIn];

/**
 * Identity and authorization for every app: service tokens (the process's view of
 * gatehouse.tokens.v1, caught up before the app listens; readiness "tokens"), OIDC sign-in and
 * sessions, the AuthzGuard of the admin and analytics routes, and the audit log. Serves
 * /admin/tokens and /auth/oidc/*.
 */
@Global()
@Module({
  imports: [KeysModule],
  controllers: [TokensController, OidcController],
  providers,
  exports: [...providers, KeysModule],
})
export class AuthModule extends ViewModule {
  constructor(tokens: TokenDirectory, @Inject(BUS) bus: Bus, readiness: ReadinessRegistry) {
    super(tokens, bus, readiness, 'tokens');
  }
}
