import type { GatehouseConfig } from '@gatehouse/config';

/**
 * Whether this ingress loads the tokenizer at start: when it has a mock provider, which counts the
 * usage of every request it answers with it. A tpm limit also counts tokens, but only for the keys
 * that have one: such a process loads the tables (~40 MB) on its first limited request instead, so a
 * replica that never serves one does not carry them.
 */
export function preloadsTokenizer(config: Pick<GatehouseConfig, 'providers'>): boolean {
  return Object.values(config.providers).some((p) => p.type === 'mock');
}
