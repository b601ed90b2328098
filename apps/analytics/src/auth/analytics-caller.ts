import { createHash } from 'node:crypto';
import { GatewayError } from '@gatehouse/formats/errors';
import type { AdminGuard } from '@gatehouse/runtime/admin.guard';
import type { KeyDirectory } from './key-directory';

/** Who is asking: the admin sees every team; a key with analytics: true sees its own team only. */
export type AnalyticsCaller = { kind: 'admin' } | { kind: 'team'; team: string; keyId: string };

const BEARER = /^Bearer\s+(.+)$/i;

export function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const auth = headers.authorization;
  const m = typeof auth === 'string' ? BEARER.exec(auth) : null;
  if (m) return m[1].trim();
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : null;
}

export function resolveCaller(
  headers: Record<string, string | string[] | undefined>,
  admin: Pick<AdminGuard, 'isAdmin'>,
  keys: Pick<KeyDirectory, 'get'>,
  now = Date.now(),
): AnalyticsCaller {
  const auth = typeof headers.authorization === 'string' ? headers.authorization : undefined;
  if (admin.isAdmin(auth)) return { kind: 'admin' };
  const secret = presentedKey(headers);
  if (!secret) throw new GatewayError(401, 'authentication_error', 'missing credentials: Authorization: Bearer <admin token or analytics key>');
  const record = keys.get(createHash('sha256').update(secret).digest('hex'));
  if (!record || record.revoked_at !== null || (record.expires_at !== null && record.expires_at <= now)) {
    throw new GatewayError(401, 'authentication_error', 'invalid, expired or revoked key');
  }
  if (!record.analytics) throw new GatewayError(403, 'permission_error', 'this key is not allowed to read analytics (analytics: false)');
  return { kind: 'team', team: record.team, keyId: record.id };
}
