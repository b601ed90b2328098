import type { Role } from '@gatehouse/contracts';
import type { Principal } from './principal';

export const PERMISSIONS = [
  'keys:read',
  'keys:write',
  'teams:read',
  'teams:write',
  'policies:read',
  'policies:write',
  'analytics:read',
  'audit:read',
  'tokens:read',
  'tokens:write',
  'config:write',
  'targets:read',
  'guardrails:operate',
  'internal:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const TEAM_ADMIN: readonly Permission[] = ['keys:read', 'keys:write', 'teams:read', 'teams:write', 'policies:read', 'policies:write', 'analytics:read', 'audit:read'];

/** What each role may do; a team-admin and a viewer only on their own teams. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  'team-admin': new Set(TEAM_ADMIN),
  viewer: new Set<Permission>(['analytics:read']),
};

/**
 * What a route acts on: `global` (the whole gateway: only a principal over all teams), `teams`
 * (these teams, each must be the principal's), `caller` (the principal's own teams; the route
 * narrows its answer to them).
 */
export type Scope = { kind: 'global' } | { kind: 'teams'; teams: readonly string[] } | { kind: 'caller' };

/** Null when allowed, else the message of the 403: what is missing, on which team. */
export function denial(principal: Principal, permission: Permission, scope: Scope): string | null {
  if (!ROLE_PERMISSIONS[principal.role].has(permission)) return `requires ${permission} (role ${principal.role} does not have it)`;
  if (principal.teams === null) return null;
  if (scope.kind === 'global') return `requires ${permission} on every team (${principal.role} of ${teamList(principal.teams)} only)`;
  if (scope.kind === 'teams') {
    const missing = scope.teams.find((t) => !principal.teams!.includes(t));
    if (missing !== undefined) return `requires ${permission} on team "${missing}"`;
  }
  return null;
}


function teamList(teams: readonly string[]): string {
  return teams.length === 0 ? 'no team' : teams.map((t) => `"${t}"`).join(', ');
}
