import { CompactedView } from '@gatehouse/bus';
import { KeysTopic, TeamsTopic } from '@gatehouse/contracts';
import { warmTokenizerForTpm, type TpmLimited } from './tokenizer-warmup';

function fakeTokenizer() {
  const t = { loads: 0, isLoaded: false, loaded: () => t.isLoaded, load: () => void (t.loads++, (t.isLoaded = true)) };
  return t;
}
const view = (topic: typeof KeysTopic | typeof TeamsTopic, records: Record<string, TpmLimited>) => {
  const v = new CompactedView<TpmLimited>(topic as never);
  for (const [id, r] of Object.entries(records)) v.apply(id, r);
  return v;
};
const logger = { info: jest.fn() };
const turn = () => new Promise((r) => setImmediate(r));

describe('warmTokenizerForTpm', () => {
  it('loads at once when a known key or team has a tpm limit', () => {
    for (const [keys, teams] of [[{ a: { tpm: 1000 } }, {}], [{ a: { tpm: null } }, { search: { tpm: 5000 } }]] as const) {
      const t = fakeTokenizer();
      warmTokenizerForTpm([view(KeysTopic, keys), view(TeamsTopic, teams)], logger, t);
      expect(t.loads).toBe(1);
    }
    expect(logger.info).toHaveBeenLastCalledWith({ ms: expect.any(Number) }, 'limits: gpt-tokenizer tables loaded for tpm estimates');
  });

  it('does not load for rpm-only limits, revoked keys or no keys; loads on its own turn once a tpm-limited record arrives, once', async () => {
    const t = fakeTokenizer();
    const keys = view(KeysTopic, { a: { tpm: null }, old: { tpm: 1000, revoked_at: 1 } });
    const teams = view(TeamsTopic, {});
    warmTokenizerForTpm([keys, teams], logger, t);
    keys.apply('b', { tpm: null });
    await turn();
    expect(t.loads).toBe(0);
    teams.apply('search', { tpm: 5000 });
    expect(t.loads).toBe(0);
    await turn();
    expect(t.loads).toBe(1);
    keys.apply('c', { tpm: 10 });
    await turn();
    expect(t.loads).toBe(1);
  });

  it('does nothing when the tables are already loaded (a mock provider loads them at start)', () => {
    const t = fakeTokenizer();
    t.isLoaded = true;
    warmTokenizerForTpm([view(KeysTopic, { a: { tpm: 1000 } })], logger, t);
    expect(t.loads).toBe(0);
  });
});
