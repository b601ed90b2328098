import { parseConfig } from '@gatehouse/config';
import { countsTokens } from './tokenizer-warmup';

const KEY = 'a'.repeat(64);

describe('countsTokens (whether an ingress loads the tokenizer at start)', () => {
  const config = (yaml: string) => parseConfig(yaml, {}, 'test.yaml');

  it('is true with a mock provider (it counts its usage) and false with real providers and no tpm', () => {
    expect(countsTokens(config('providers:\n  mock: { type: mock }\n'))).toBe(true);
    expect(countsTokens(config('providers:\n  oa: { type: openai, api_key: sk-x }\nkeys:\n  - { name: a, team: t, key_sha256: ' + KEY + ', rpm: 10, budget_usd: 5, budget_period: day }\n'))).toBe(false);
  });

  it('is true when a config key, a team or a key from the directory has a tpm limit', () => {
    const base = 'providers:\n  oa: { type: openai, api_key: sk-x }\n';
    expect(countsTokens(config(base + 'keys:\n  - { name: a, team: t, key_sha256: ' + KEY + ', tpm: 1000 }\n'))).toBe(true);
    expect(countsTokens(config(base + 'teams:\n  t: { tpm: 5000 }\n'))).toBe(true);
    expect(countsTokens(config(base), [{ tpm: null }, { tpm: 200 }])).toBe(true);
    expect(countsTokens(config(base), [{ tpm: null }, {}])).toBe(false);
  });
});
