/** A guardrail policy scoped to one team (keywords check, monitor mode). */
export const policy = (id: string, team: string) => ({ id, mode: 'monitor', scope: { teams: [team] }, checks: [{ type: 'keywords', words: ['zebra'], action: 'deny' }] });

/**
 * Every admin and analytics route that acts on team beta's resources, as [method, path, body,
 * permission named in the 403]: a team-admin of alpha must get `403 requires <permission> on team
 * "beta"` on each. Placeholders: :betaKey, :alphaKey (key ids), :betaTrace (a request id of beta);
 * the seeded data: keys of both teams, teams alpha and beta with limits, policy "beta-words" scoped to beta.
 */
export const BETA_ROUTES: [string, string, unknown, string][] = [
  ['GET', '/admin/keys/:betaKey', undefined, 'keys:read'],
  ['PATCH', '/admin/keys/:betaKey', { rpm: 5 }, 'keys:write'],
  ['DELETE', '/admin/keys/:betaKey', undefined, 'keys:write'],
  ['GET', '/admin/keys/:betaKey/usage', undefined, 'keys:read'],
  ['POST', '/admin/keys', { name: 'sneaky', team: 'beta' }, 'keys:write'],
  ['PATCH', '/admin/keys/:alphaKey', { team: 'beta' }, 'keys:write'],
  ['GET', '/admin/teams/beta', undefined, 'teams:read'],
  ['PUT', '/admin/teams/beta', { rpm: 1 }, 'teams:write'],
  ['GET', '/admin/teams/beta/usage', undefined, 'teams:read'],
  ['GET', '/admin/policies/beta-words', undefined, 'policies:read'],
  ['PUT', '/admin/policies/beta-words', policy('beta-words', 'beta'), 'policies:write'],
  ['DELETE', '/admin/policies/beta-words', undefined, 'policies:write'],
  ['GET', '/admin/policies/beta-words/versions', undefined, 'policies:read'],
  ['GET', '/admin/policies/beta-words/versions/1', undefined, 'policies:read'],
  ['GET', '/admin/policies/beta-words/diff?from=1', undefined, 'policies:read'],
  ['POST', '/admin/policies/beta-words/test', { messages: [{ role: 'user', content: 'zebra' }] }, 'policies:read'],
  ['POST', '/admin/policies', policy('alpha-grab', 'beta'), 'policies:write'],
  ['GET', '/analytics/traces/:betaTrace', undefined, 'analytics:read'],
  ['GET', '/analytics/traces?team=beta', undefined, 'analytics:read'],
  ['GET', '/analytics/usage?team=beta', undefined, 'analytics:read'],
  ['GET', '/analytics/latency?team=beta', undefined, 'analytics:read'],
  ['GET', '/analytics/guardrails?team=beta', undefined, 'analytics:read'],
  ['GET', '/analytics/audit?team=beta', undefined, 'audit:read'],
];
