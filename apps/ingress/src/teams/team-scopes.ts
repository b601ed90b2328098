import type { ModuleRef } from '@nestjs/core';
import type { AuthRequest, TeamResolver } from '@gatehouse/auth';
import { TeamDirectory } from '@gatehouse/keys';

/** The team in the URL. */
export const urlTeam: TeamResolver = (req) => req.params?.team;

export const teamIdParam = (req: AuthRequest) => req.params?.team ?? '';

/** The team's limits before a PUT (the audit log's before). */
export const teamBefore = (req: AuthRequest, ref: ModuleRef) => ref.get(TeamDirectory, { strict: false }).get(req.params?.team ?? '') ?? null;
