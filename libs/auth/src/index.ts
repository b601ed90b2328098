/** Public surface of libs/auth: roles and permissions, the authorization guard and its route declarations, service tokens, OIDC sessions, the audit log. */
export { AuthModule } from './auth.module';
export { AuthzGuard, CurrentPrincipal, seesTeam } from './authz.guard';
export { Requires, type RouteScope, type TeamResolver } from './requires.decorator';
export { PERMISSIONS, ROLE_PERMISSIONS, denial, type Permission, type Scope } from './permissions';
export type { Principal } from './principal';
export type { AuthRequest } from './auth-request';
export { Audited, answerId, idParam, type AuditSpec } from './audit/audited.decorator';
export { AuditLog } from './audit/audit-log';
export { redactSecrets } from './audit/redact';
export { TokenDirectory } from './tokens/token-directory';
export { CreateTokenSchema, type CreateTokenInput } from './tokens/token-input.schema';
