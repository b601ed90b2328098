import { z } from 'zod';
import { ROLES } from './service-token';
import { defineTopic } from './topic';

/**
 * One change made through the admin API, a config reload or a sign-in. before/after are the
 * target's state with every secret removed (null when it did not exist / no longer exists).
 */
export const AuditEventSchema = z.object({
  event_id: z.string().min(1),
  ts: z.number().int().nonnegative(),
  /** Who: "admin" (the bootstrap admin token), "token:<name>", "key:<name>", "oidc:<subject or email>". */
  actor: z.string().min(1),
  role: z.enum(ROLES),
  /** What, as <target type>.<verb>: key.create, team.update, policy.delete, config.reload, token.revoke, auth.sign_in, ... */
  action: z.string().min(1),
  target_type: z.string().min(1),
  target_id: z.string(),
  /** The teams the target belongs to (a team admin sees the events of its teams). */
  teams: z.array(z.string()).default([]),
  before: z.unknown().nullable().default(null),
  after: z.unknown().nullable().default(null),
  request_id: z.string(),
  source_ip: z.string(),
  status: z.number().int(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** Append-only (not compacted): every event is kept until the topic's retention. */
export const AuditTopic = defineTopic('gatehouse.audit.v1', AuditEventSchema, false);
