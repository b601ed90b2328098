/** Fields that hold a secret or its hash: dropped from every audit before/after. */
const SECRET_FIELDS = new Set([
  'key',
  'key_sha256',
  'token',
  'token_sha256',
  'secret',
  'client_secret',
  'api_key',
  'apikey',
  'password',
  'authorization',
  'headers',
  'secret_access_key',
  'access_key_id',
  'session_token',
]);

/** A copy of a value with every secret field removed and URLs cut to their origin (webhook URLs carry tokens in the path). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_FIELDS.has(k.toLowerCase())) continue;
    out[k] = k === 'url' && typeof v === 'string' ? originOf(v) : redactSecrets(v);
  }
  return out;
}

function originOf(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}
