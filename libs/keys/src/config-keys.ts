import type { ConfigKey } from '@gatehouse/config';
import type { KeyRecord } from '@gatehouse/contracts';

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
    budget_period: k.budget_period ?? 'month',
    policies: k.policies,
    expires_at: k.expires_at ? Date.parse(k.expires_at) : null,
    metadata: k.metadata,
    log_bodies: k.log_bodies,
    analytics: k.analytics,
    cache: k.cache ?? null,
    alerts: k.alerts,
    created_at: now,
    revoked_at: null,
    source: 'config',
  };
}

const CONFIG_FIELDS: Array<keyof KeyRecord> = ['name', 'key_sha256', 'team', 'models', 'rpm', 'tpm', 'budget_usd', 'budget_period', 'policies', 'expires_at', 'metadata', 'log_bodies', 'analytics', 'cache', 'alerts'];

/** A config key is republished only when its config-defined fields changed; an admin revoke survives restarts. */
export function configKeyChanged(current: KeyRecord | undefined, fromConfig: KeyRecord): boolean {
  if (!current) return true;
  return CONFIG_FIELDS.some((f) => JSON.stringify(current[f]) !== JSON.stringify(fromConfig[f]));
}
