import type { KeyRecord } from '@gatehouse/contracts/key';
import { GatewayError } from '@gatehouse/formats/errors';
import type { KeyStore } from '../keys/key-store';

const REASONS = {
  missing: 'missing API key: send "Authorization: Bearer <key>" or "x-api-key: <key>"',
  unknown: 'invalid API key',
  revoked: 'this API key has been revoked',
  expired: 'this API key has expired',
} as const;

export function authenticate(keys: KeyStore, secret: string | null): KeyRecord {
  const r = keys.authenticate(secret, Date.now());
  if (r.ok) return r.key;
  throw new GatewayError(401, 'authentication_error', REASONS[r.reason], { code: `key_${r.reason}` });
}

export function authorizeModel(key: KeyRecord, model: string, match: (globs: readonly string[], v: string) => boolean): void {
  if (!match(key.models, model)) {
    throw new GatewayError(403, 'permission_error', `key "${key.name}" is not allowed to use model "${model}"`, {
      code: 'model_not_allowed',
      param: 'model',
    });
  }
}
