import type { GatehouseConfig } from '@gatehouse/config';

/**
 * Whether this ingress will count tokens with the local tokenizer: a mock provider counts its usage
 * with it, and a tpm limit (of a config key, a team or a key from the directory) reserves an estimate
 * of every request. Such a process loads the tokenizer at start instead of on its first request.
 */
export function countsTokens(config: Pick<GatehouseConfig, 'providers' | 'keys' | 'teams'>, directoryKeys: Iterable<{ tpm?: number | null }> = []): boolean {
  if (Object.values(config.providers).some((p) => p.type === 'mock')) return true;
  if (config.keys.some((k) => (k.tpm ?? 0) > 0) || Object.values(config.teams).some((t) => (t.tpm ?? 0) > 0)) return true;
  for (const k of directoryKeys) if ((k.tpm ?? 0) > 0) return true;
  return false;
}
