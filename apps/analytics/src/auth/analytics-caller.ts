import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '@gatehouse/contracts';
import { authenticate, type KeyDirectory } from '@gatehouse/keys';
import type { AdminGuard } from '@gatehouse/runtime';

/** Who is asking: the admin sees every team; a key with analytics: true sees its own team only. */
export type AnalyticsCaller = { kind: 'admin' } | { kind: 'team'; team: string; keyId: string };

export function resolveCaller(
  headers: IncomingHttpHeaders,
  admin: Pick<AdminGuard, 'isAdmin'>,
  keys: KeyDirectory,
  secret: string | null,
  now = Date.now(),
): AnalyticsCaller {
  if (admin.isAdmin(headers.authorization)) return { kind: 'admin' };
  const record = authenticate(keys, secret, now);
  if (!record.analytics) throw new GatewayError(403, 'permission_error', 'this key is not allowed to read analytics (analytics: false)');
  return { kind: 'team', team: record.team, keyId: record.id };
}
