import type { ModuleRef } from '@nestjs/core';
import type { AuthRequest, TeamResolver } from '@gatehouse/auth';
import type { PolicyEvent } from '@gatehouse/contracts';
import { PolicyHistory } from './policy-history';
import { PolicyRegistry } from './policy-registry.service';

/**
 * A policy's team scope is its `scope.teams` globs: a team-admin may act on a policy only when each
 * of them is one of its teams ("*" or another glob needs an admin: `requires policies:write on team "*"`).
 */
const teamsOf = (event: PolicyEvent | undefined) => event?.policy.scope.teams;

const stored = (req: AuthRequest, ref: ModuleRef): PolicyEvent | undefined => {
  const id = req.params?.id ?? '';
  return ref.get(PolicyRegistry, { strict: false }).get(id) ?? ref.get(PolicyHistory, { strict: false }).versions(id).at(-1);
};

const bodyTeams = (body: unknown): readonly string[] => {
  const teams = (body as { scope?: { teams?: unknown } } | null | undefined)?.scope?.teams;
  return Array.isArray(teams) ? teams.filter((t): t is string => typeof t === 'string') : ['*'];
};

/** Read, test, delete, history: the scope of the stored policy (its latest version). */
export const policyTeams: TeamResolver = (req, ref) => teamsOf(stored(req, ref));

/** Create: the scope in the body (none: every team). */
export const newPolicyTeams: TeamResolver = (req) => bodyTeams(req.body);

/** A new version: the stored scope and the new one. */
export const replacedPolicyTeams: TeamResolver = (req, ref) => [...(teamsOf(stored(req, ref)) ?? []), ...bodyTeams(req.body)];

/** The stored policy (the audit log's before). */
export const policyBefore = (req: AuthRequest, ref: ModuleRef) => ref.get(PolicyRegistry, { strict: false }).get(req.params?.id ?? '') ?? null;

/** Whether a team-scoped principal may see this policy: every team of its scope is one of theirs. */
export function policyVisible(teams: readonly string[] | null, event: PolicyEvent): boolean {
  return teams === null || event.policy.scope.teams.every((t) => teams.includes(t));
}
