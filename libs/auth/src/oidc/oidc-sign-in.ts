import { Inject, Injectable } from '@nestjs/common';
import type * as OidcClient from 'openid-client';
import type { OidcConfig } from '@gatehouse/config';
import { GatewayError } from '@gatehouse/contracts';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { roleFromClaims } from './role-mapping';
import type { SessionUser, SignInFlow } from './session';

/** openid-client is an ES module: loaded on the first sign-in only (Node >= 20.19 requires it natively). */
const loadClient = (): Promise<typeof OidcClient> => import('openid-client');

/**
 * Authorization code flow with PKCE against auth.oidc.issuer (openid-client): builds the
 * provider's authorization URL, then exchanges the code and validates the ID token (signature
 * through the issuer's JWKS, issuer, audience, expiry, nonce) and maps its role claim.
 */
@Injectable()
export class OidcSignIn {
  readonly config: OidcConfig | null;
  private discovered: Promise<OidcClient.Configuration> | null = null;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    this.config = runtime.config.auth.oidc ?? null;
  }

  /** Where to send the browser, and the flow to keep in the sealed cookie until it comes back. */
  async start(redirectUri: string, after: string): Promise<{ url: string; flow: SignInFlow }> {
    const oidc = this.require();
    const client = await loadClient();
    const config = await this.discover();
    const flow: SignInFlow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), redirect: after };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: oidc.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, flow };
  }

  /** The signed-in user from the provider's redirect back (callbackUrl: the full URL it called). */
  async finish(callbackUrl: URL, flow: SignInFlow, redirectUri: string): Promise<SessionUser> {
    const oidc = this.require();
    const client = await loadClient();
    const config = await this.discover();
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true }, { redirect_uri: redirectUri });
      claims = tokens.claims() as Record<string, unknown> | undefined;
    } catch (e) {
      throw new GatewayError(401, 'authentication_error', `sign-in failed: ${(e as Error).message}`, { code: 'oidc_failed' });
    }
    if (!claims) throw new GatewayError(401, 'authentication_error', 'sign-in failed: the provider returned no ID token', { code: 'oidc_failed' });
    const grant = roleFromClaims(claims, oidc);
    const subject = String(claims.sub);
    const label = typeof claims.email === 'string' ? claims.email : typeof claims.preferred_username === 'string' ? claims.preferred_username : subject;
    if (!grant) {
      throw new GatewayError(403, 'permission_error', `${label} has no Gatehouse role: no value of the "${oidc.role_claim}" claim is mapped in auth.oidc.roles`, { code: 'no_role' });
    }
    return { subject, label, role: grant.role, teams: grant.teams };
  }

  private require(): OidcConfig {
    if (!this.config) throw new GatewayError(404, 'not_found_error', 'OIDC sign-in is not configured (auth.oidc)');
    return this.config;
  }

  /** The provider's metadata and keys endpoint, fetched once (again after a failure). */
  private discover(): Promise<OidcClient.Configuration> {
    const oidc = this.require();
    this.discovered ??= loadClient().then((client) =>
      client.discovery(new URL(oidc.issuer), oidc.client_id, oidc.client_secret, undefined, oidc.issuer.startsWith('http://') ? { execute: [client.allowInsecureRequests] } : undefined),
    );
    this.discovered.catch(() => {
      this.discovered = null;
    });
    return this.discovered.catch((e: Error) => {
      throw new GatewayError(502, 'upstream_error', `the OIDC provider ${oidc.issuer} could not be reached: ${e.message}`, { code: 'oidc_unavailable' });
    });
  }
}
