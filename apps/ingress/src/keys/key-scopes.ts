import type { ModuleRef } from '@nestjs/core';
import type { AuthRequest, TeamResolver } from '@gatehouse/auth';
import { KeyDirectory, keyView } from '@gatehouse/keys';

const keyOfUrl = (req: AuthRequest, ref: ModuleRef) => ref.get(KeyDirectory, { strict: false }).get(req.params?.id ?? '');

const bodyTeam = (req: AuthRequest): string | undefined => {
  const team = (req.body as { team?: unknown } | null | undefined)?.team;
  return typeof team === 'string' ? team : undefined;
};

/** Create: the team in the body. */
export const newKeyTeam: TeamResolver = (req) => bodyTeam(req);

/** Read, revoke, usage: the team of the key in the URL. */
export const keyTeam: TeamResolver = (req, ref) => keyOfUrl(req, ref)?.team;

/** Patch: the key's team, and the team it moves to. */
export const patchedKeyTeams: TeamResolver = (req, ref) => {
  const current = keyOfUrl(req, ref);
  if (!current) return undefined;
  const next = bodyTeam(req);
  return next === undefined ? [current.team] : [current.team, next];
};

/** The key in the URL as the admin API shows it (the audit log's before). */
export const keyBefore = (req: AuthRequest, ref: ModuleRef) => {
  const k = keyOfUrl(req, ref);
  return k ? keyView(k) : null;
};

