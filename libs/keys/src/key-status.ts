import type { KeyRecord } from '@gatehouse/contracts';

export type KeyStatus = 'active' | 'revoked' | 'expired';

/** The one revocation and expiry rule: a time set and reached. */
export function keyStatus(key: Pick<KeyRecord, 'revoked_at' | 'expires_at'>, now: number): KeyStatus {
  if (key.revoked_at !== null && key.revoked_at <= now) return 'revoked';
  if (key.expires_at !== null && key.expires_at <= now) return 'expired';
  return 'active';
}

/** A key as the admin API shows it: everything but the hash, with its status. */
export function keyView(key: KeyRecord, now = Date.now()) {
  const { key_sha256: _hash, ...rest } = key;
  return { ...rest, status: keyStatus(key, now) };
}
