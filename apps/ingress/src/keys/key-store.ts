import type { ConfigKey } from '@gatehouse/config/schema';
import type { KeyRecord } from '@gatehouse/contracts/key';
import { sameHash, sha256Hex } from './key-hash';

export type KeyCheck =
  | { ok: true; key: KeyRecord }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' | 'expired' };

/**
 * Every virtual key this replica knows, by SHA-256 of the secret. Fed by the compacted
 * gatehouse.keys.v1 topic (config keys are published there at start), so a revoke reaches
 * every replica as soon as the bus delivers it.
 */
export class KeyStore {
  private readonly byHash = new Map<string, KeyRecord>();
  private readonly byId = new Map<string, KeyRecord>();

  apply(id: string, record: KeyRecord | null): void {
    const prev = this.byId.get(id);
    if (prev) this.byHash.delete(prev.key_sha256);
    if (record) {
      this.byId.set(id, record);
      this.byHash.set(record.key_sha256, record);
    } else {
      this.byId.delete(id);
    }
  }

  get(id: string): KeyRecord | undefined {
    return this.byId.get(id);
  }

  all(): KeyRecord[] {
    return [...this.byId.values()];
  }

  authenticate(secret: string | null, now: number): KeyCheck {
    if (!secret) return { ok: false, reason: 'missing' };
    const hash = sha256Hex(secret);
    const key = this.byHash.get(hash);
    if (!key || !sameHash(key.key_sha256, hash)) return { ok: false, reason: 'unknown' };
    if (key.revoked_at !== null && key.revoked_at <= now) return { ok: false, reason: 'revoked' };
    if (key.expires_at !== null && key.expires_at <= now) return { ok: false, reason: 'expired' };
    return { ok: true, key };
  }
}

export const configKeyId = (name: string): string => `cfg_${name}`;

export function recordFromConfigKey(k: ConfigKey, now: number): KeyRecord {
  return {
    id: configKeyId(k.name),
    name: k.name,
    key_sha256: k.key_sha256,
    prefix: null,
    team: k.team,
    models: k.models,
    rpm: k.rpm ?? null,
    tpm: k.tpm ?? null,
    budget_usd: k.budget_usd ?? null,
    budget_period: k.budget_period,
    policies: k.policies,
    expires_at: k.expires_at ? Date.parse(k.expires_at) : null,
    metadata: k.metadata,
    log_bodies: k.log_bodies,
    analytics: k.analytics,
    created_at: now,
    revoked_at: null,
    source: 'config',
  };
}

/** A config key is republished only when its config-defined fields changed; an admin revoke survives restarts. */
export function configKeyChanged(current: KeyRecord | undefined, fromConfig: KeyRecord): boolean {
  if (!current) return true;
  const fields: Array<keyof KeyRecord> = ['name', 'key_sha256', 'team', 'models', 'rpm', 'tpm', 'budget_usd', 'budget_period', 'policies', 'expires_at', 'metadata', 'log_bodies', 'analytics'];
  return fields.some((f) => JSON.stringify(current[f]) !== JSON.stringify(fromConfig[f]));
}
