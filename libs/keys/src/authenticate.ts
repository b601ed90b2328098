import { type KeyRecord, GatewayError } from '@gatehouse/contracts';
import type { KeyDirectory } from './key-directory';

const REASONS = {
  missing: 'missing API key: send "Authorization: Bearer <key>" or "x-api-key: <key>"',
  unknown: 'invalid API key',
  revoked: 'this API key has been revoked',
  expired: 'this API key has expired',
} as const;

/** The active key behind a presented secret, or a 401 naming why not (code key_<reason>). */
export function authenticate(keys: KeyDirectory, secret: string | null, now = Date.now()): KeyRecord {
  const r = keys.check(secret, now);
  if (r.ok) return r.key;
  throw new GatewayError(401, 'authentication_error', REASONS[r.reason], { code: `key_${r.reason}` });
}
