import { credentialMask } from '@gatehouse/observability';

/** Patterns that look like credentials in upstream error messages. Built once at module load. */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\bsk-[A-Za-z0-9_*\-]{6,}/g, 'sk-***'],
  [/\bBearer\s+[A-Za-z0-9._~+/=\-]+/gi, 'Bearer ***'],
  [/\b((?:api[_-]?)?key|token|secret|password|signature|sig)=([^&\s"',;]+)/gi, '$1=***'],
  [/\bAIza[0-9A-Za-z_\-]{20,}/g, 'AIza***'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, 'AKIA***'],
  [/\bya29\.[A-Za-z0-9._\-]+/g, 'ya29.***'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '***'],
];

/** Masks the configured credentials by value, then anything that looks like an API key, bearer token or key=value credential. */
export function maskSecrets(text: string): string {
  let out = credentialMask().mask(text);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
