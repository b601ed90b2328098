import type { OidcConfig } from '@gatehouse/config';
import type { Role } from '@gatehouse/contracts';

const RANK: Record<Role, number> = { admin: 3, 'team-admin': 2, viewer: 1 };

/**
 * The role an ID token's claims grant through auth.oidc.roles: the strongest role among the claim's
 * values, with the union of the teams every matching grant of that role names. Null when no value
 * of the claim is mapped.
 */
export function roleFromClaims(claims: Record<string, unknown>, oidc: Pick<OidcConfig, 'role_claim' | 'roles'>): { role: Role; teams: string[] } | null {
  const raw = claims[oidc.role_claim];
  const values = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : typeof raw === 'string' ? [raw] : [];
  const grants = values.map((v) => oidc.roles[v]).filter((g) => g !== undefined);
  if (grants.length === 0) return null;
  const role = grants.reduce((best, g) => (RANK[g.role] > RANK[best] ? g.role : best), grants[0]!.role);
  if (role === 'admin') return { role, teams: [] };
  return { role, teams: [...new Set(grants.filter((g) => g.role === role).flatMap((g) => g.teams))] };
}
