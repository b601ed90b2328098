import { importPKCS8, SignJWT, type KeyLike } from 'jose';
import { maskSecrets } from '../shared/redact';
import type { ServiceAccount } from './service-account';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Lifetime asked for in the assertion (Google's maximum). */
const ASSERTION_TTL_S = 3600;
/** A token is renewed this long before it expires (at most half its lifetime). */
const RENEW_BEFORE_MS = 5 * 60_000;
const EXCHANGE_TIMEOUT_MS = 10_000;

/** Where an upstream request gets its bearer token. */
export interface AccessTokenSource {
  token(): Promise<string>;
}

/** A static access token from config (`api_key`). */
export class StaticToken implements AccessTokenSource {
  private readonly value: Promise<string>;
  constructor(token: string) {
    this.value = Promise.resolve(token);
  }
  token(): Promise<string> {
    return this.value;
  }
}

/**
 * OAuth2 access tokens for a service account: a JWT signed with the account's key (RS256) is
 * exchanged at the token endpoint (JWT bearer grant), and the token is kept until shortly before it
 * expires. Concurrent requests share one exchange. Errors never carry the key, the assertion or a token.
 */
export class ServiceAccountTokenSource implements AccessTokenSource {
  private key: Promise<KeyLike> | null = null;
  private cached: { token: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly account: ServiceAccount,
    private readonly tokenUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.exchange().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async exchange(): Promise<string> {
    const assertion = await this.assertion();
    let res: Response;
    try {
      res = await fetch(this.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
        signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
      });
    } catch (e) {
      const err = e as { name?: string; cause?: { code?: string } };
      throw new Error(`vertex token exchange failed (${err.name === 'TimeoutError' ? 'timeout' : err.cause?.code ?? 'connection error'})`);
    }
    const text = await res.text();
    const body = parseJson(text);
    const token = typeof body.access_token === 'string' ? body.access_token : '';
    if (!res.ok || token === '') {
      const why = [body.error, body.error_description].filter((v) => typeof v === 'string').join(': ') || `HTTP ${res.status}`;
      throw new Error(`vertex token exchange failed: ${res.status} ${maskSecrets(why).slice(0, 300)}`);
    }
    const lifetimeMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : ASSERTION_TTL_S) * 1000;
    this.cached = { token, renewAt: this.now() + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 2) };
    return token;
  }

  private async assertion(): Promise<string> {
    this.key ??= importPKCS8(this.account.private_key, 'RS256');
    const key = await this.key.catch(() => {
      this.key = null;
      throw new Error('vertex credentials_file: private_key is not a valid PKCS#8 RSA key');
    });
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({ scope: CLOUD_PLATFORM_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(this.account.private_key_id ? { kid: this.account.private_key_id } : {}) })
      .setIssuer(this.account.client_email)
      .setSubject(this.account.client_email)
      .setAudience(this.tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_TTL_S)
      .sign(key);
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
