import type { GatehouseEnv } from './env';
import type { GatehouseConfig } from './schema';

/** Provider fields that hold credentials, whatever the type: api_key, access_key_id, secret_access_key, session_token. */
const CREDENTIAL_FIELD = /key|secret|token|password/i;

/** Header names whose configured values are credentials (provider `headers`, webhook check `headers`). */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|signature|password/i;

/**
 * Every credential the config and env hold: each provider's api_key, AWS access key id, secret
 * access key and session token, credential-like extra headers of providers and webhook checks, the
 * admin token and the ClickHouse password. The gateway masks these by value in everything that
 * leaves it (error bodies, traces, logs).
 */
export function configuredCredentials(config: GatehouseConfig, env?: Partial<GatehouseEnv>): string[] {
  const out: (string | undefined)[] = [];
  const headerValues = (headers: Record<string, string> | undefined): void => {
    for (const [name, value] of Object.entries(headers ?? {})) if (CREDENTIAL_HEADER.test(name)) out.push(value.replace(/^(?:Bearer|Basic|token)\s+/i, ''));
  };
  for (const p of Object.values(config.providers)) {
    for (const [field, value] of Object.entries(p)) if (typeof value === 'string' && CREDENTIAL_FIELD.test(field)) out.push(value);
    headerValues(p.headers);
  }
  for (const policy of config.policies) for (const check of policy.checks) if (check.type === 'webhook') headerValues(check.headers);
  out.push(env?.GATEHOUSE_ADMIN_TOKEN, env?.CLICKHOUSE_PASSWORD, config.guardrails.judge?.api_key);
  return out.filter((v): v is string => typeof v === 'string' && v.length > 0);
}
