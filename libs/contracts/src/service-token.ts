import { z } from 'zod';
import { defineTopic } from './topic';

export const ROLES = ['admin', 'team-admin', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A service token as every replica holds it: only the SHA-256 of the secret. Revoked tokens stay (revoked_at set) so the revocation replays. */
export const ServiceTokenRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(128),
  role: z.enum(ROLES),
  /** The teams a team-admin or viewer acts on (empty for admin). */
  teams: z.array(z.string().min(1)).default([]),
  token_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
  prefix: z.string(),
  created_at: z.number().int().nonnegative(),
  created_by: z.string(),
  revoked_at: z.number().int().nullable().default(null),
});
export type ServiceTokenRecord = z.infer<typeof ServiceTokenRecordSchema>;

export const TokensTopic = defineTopic('gatehouse.tokens.v1', ServiceTokenRecordSchema, true);
