import { parseConfig } from '@gatehouse/config';
import { preloadsTokenizer } from './tokenizer-warmup';

const KEY = 'a'.repeat(64);

describe('preloadsTokenizer (whether an ingress loads the tokenizer at start)', () => {
  const config = (yaml: string) => parseConfig(yaml, {}, 'test.yaml');

  it('is true with a mock provider: it counts the usage of every request it answers', () => {
    expect(preloadsTokenizer(config('providers:\n  mock: { type: mock }\n'))).toBe(true);
  });

  it('is false with real providers only, even with tpm limits (those load it on their first limited request)', () => {
    const base = 'providers:\n  oa: { type: openai, api_key: sk-x }\n';
    expect(preloadsTokenizer(config(base))).toBe(false);
    expect(preloadsTokenizer(config(base + 'teams:\n  t: { tpm: 5000 }\nkeys:\n  - { name: a, team: t, key_sha256: ' + KEY + ', tpm: 1000 }\n'))).toBe(false);
  });
});
