import { z } from 'zod';
import { ROLES } from '@gatehouse/contracts';

/** What an identity provider's claim value grants: a role and, for team-admin and viewer, the teams. */
const RoleGrantSchema = z
  .object({
    role: z.enum(ROLES),
    teams: z.array(z.string().min(1).max(128)).default([]),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.role === 'admin' && g.teams.length > 0) ctx.addIssue({ code: 'custom', path: ['teams'], message: 'an admin acts on every team; leave teams empty' });
    if (g.role !== 'admin' && g.teams.length === 0) ctx.addIssue({ code: 'custom', path: ['teams'], message: `a ${g.role} needs at least one team` });
  });

/** OpenID Connect sign-in (authorization code + PKCE) for the console and the admin API. */
export const OidcConfigSchema = z
  .object({
    issuer: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
    client_id: z.string().min(1),
    client_secret: z.string().min(1),
    scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile']),
    /** The ID token claim whose value (a string or an array of strings) selects the role, e.g. "groups". */
    role_claim: z.string().min(1),
    roles: z.record(z.string().min(1), RoleGrantSchema).refine((r) => Object.keys(r).length > 0, 'map at least one claim value to a role'),
    /** The callback URL registered at the provider; default: <scheme>://<host of the sign-in request>/auth/oidc/callback. */
    redirect_url: z.string().url().optional(),
    /** How long a console session lasts. */
    session_ttl_s: z.number().int().min(60).max(7 * 86400).default(8 * 3600),
  })
  .strict()
  .refine((o) => o.scopes.includes('openid'), { path: ['scopes'], message: 'must include "openid"' });
export type OidcConfig = z.infer<typeof OidcConfigSchema>;

export const AuthConfigSchema = z.object({ oidc: OidcConfigSchema.optional() }).strict().default({});
