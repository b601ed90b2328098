import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '@gatehouse/contracts';
import { KeyDirectory, presentedKey } from '@gatehouse/keys';
import { AdminGuard } from '@gatehouse/runtime';
import type { Principal } from './principal';
import { Sessions } from './oidc/session';
import { TokenDirectory } from './tokens/token-directory';

const ADMIN: Principal = { actor: 'admin', role: 'admin', teams: null, source: 'admin-token' };

/**
 * Who is calling: the bootstrap admin token, a service token, a console session cookie (OIDC), or
 * a team key with analytics: true (a viewer of its team). 401 when none of them.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly admin: AdminGuard,
    private readonly tokens: TokenDirectory,
    private readonly keys: KeyDirectory,
    private readonly sessions: Sessions,
  ) {}

  principal(headers: IncomingHttpHeaders, now = Date.now()): Principal {
    const secret = presentedKey(headers);
    if (secret) {
      if (this.admin.isAdmin(`Bearer ${secret}`)) return ADMIN;
      const token = this.tokens.active(secret);
      if (token) return { actor: `token:${token.name}`, role: token.role, teams: token.role === 'admin' ? null : token.teams, source: 'service-token' };
      const key = this.keys.check(secret, now);
      if (key.ok) {
        if (!key.key.analytics) throw new GatewayError(403, 'permission_error', 'this key is not allowed to read analytics (analytics: false)', { code: 'permission_denied' });
        return { actor: `key:${key.key.name}`, role: 'viewer', teams: [key.key.team], source: 'analytics-key' };
      }
      if (key.reason === 'revoked' || key.reason === 'expired') throw new GatewayError(401, 'authentication_error', `this API key has ${key.reason === 'revoked' ? 'been revoked' : 'expired'}`, { code: `key_${key.reason}` });
    }
    const user = this.sessions.user(headers.cookie);
    if (user) return { actor: `oidc:${user.label}`, role: user.role, teams: user.role === 'admin' ? null : user.teams, source: 'session' };
    throw new GatewayError(401, 'authentication_error', secret ? 'invalid token' : 'sign-in required: Authorization: Bearer <admin token, service token or analytics key>, or a console session', {
      code: secret ? 'token_invalid' : 'token_missing',
    });
  }
}
