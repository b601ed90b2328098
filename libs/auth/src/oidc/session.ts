import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@gatehouse/contracts';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { CookieSealer, readCookie } from './sealed-cookie';

export const SESSION_COOKIE = 'gatehouse_session';
export const FLOW_COOKIE = 'gatehouse_oidc_flow';

/** A signed-in console user, as sealed in the session cookie. */
export interface SessionUser {
  subject: string;
  /** email, else preferred_username, else the subject. */
  label: string;
  role: Role;
  teams: string[];
}

/** The state of a sign-in between /auth/oidc/login and the provider's redirect back. */
export interface SignInFlow {
  state: string;
  nonce: string;
  verifier: string;
  redirect: string;
}

/** Console sessions: sealed HttpOnly cookies (GATEHOUSE_SESSION_SECRET, else derived from the admin token), valid on every replica sharing the secret. */
@Injectable()
export class Sessions {
  private readonly sealer: CookieSealer;
  readonly ttlMs: number;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    this.sealer = new CookieSealer(runtime.env.GATEHOUSE_SESSION_SECRET ?? `admin-token:${runtime.adminToken}`);
    this.ttlMs = (runtime.config.auth.oidc?.session_ttl_s ?? 8 * 3600) * 1000;
  }

  user(cookieHeader: string | undefined): SessionUser | null {
    return this.sealer.open<SessionUser>(SESSION_COOKIE, readCookie(cookieHeader, SESSION_COOKIE));
  }

  flow(cookieHeader: string | undefined): SignInFlow | null {
    return this.sealer.open<SignInFlow>(FLOW_COOKIE, readCookie(cookieHeader, FLOW_COOKIE));
  }

  sessionCookie(user: SessionUser, secure: boolean): string {
    return cookie(SESSION_COOKIE, this.sealer.seal(SESSION_COOKIE, user, this.ttlMs), Math.floor(this.ttlMs / 1000), 'Strict', secure);
  }

  /** Lax: it must come back with the provider's top-level redirect to the callback. */
  flowCookie(flow: SignInFlow, secure: boolean): string {
    return cookie(FLOW_COOKIE, this.sealer.seal(FLOW_COOKIE, flow, 600_000), 600, 'Lax', secure);
  }

  static clear(name: string, secure: boolean): string {
    return cookie(name, '', 0, 'Lax', secure);
  }
}

function cookie(name: string, value: string, maxAgeS: number, sameSite: 'Strict' | 'Lax', secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeS}; HttpOnly; SameSite=${sameSite}${secure ? '; Secure' : ''}`;
}
