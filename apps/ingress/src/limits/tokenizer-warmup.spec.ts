import { CompactedView } from '@gatehouse/bus';
import { KeysTopic } from '@gatehouse/contracts';
import { TokenizerWarmup, type TpmLimited } from './tokenizer-warmup';

function fakeTokenizer() {
  const t = { loads: 0, isLoaded: false, loaded: () => t.isLoaded, load: () => void (t.loads++, (t.isLoaded = true)) };
  return t;
}
const view = (records: Record<string, TpmLimited> = {}) => {
  const v = new CompactedView<TpmLimited>(KeysTopic as never);
  for (const [id, r] of Object.entries(records)) v.apply(id, r);
  return v;
};
const NO_LIMITS = { keys: [], teams: {} };
const turn = () => new Promise((r) => setImmediate(r));

describe('TokenizerWarmup', () => {
  const logger = { info: jest.fn() };

  it('loads at once when this process\'s config gives a key or a team a tpm limit', () => {
    for (const config of [{ keys: [{ tpm: 1000 }], teams: {} }, { keys: [{ rpm: 5 }], teams: { search: { tpm: 5000 } } }]) {
      const t = fakeTokenizer();
      new TokenizerWarmup(logger, t).start(config as never, [view()]);
      expect(t.loads).toBe(1);
    }
    expect(logger.info).toHaveBeenLastCalledWith({ ms: expect.any(Number) }, 'limits: gpt-tokenizer tables loaded for tpm estimates');
  });

  it('loads at once when a key or team made through the admin API has one (not when it is revoked)', () => {
    const t = fakeTokenizer();
    new TokenizerWarmup(logger, t).start(NO_LIMITS, [view({ old: { tpm: 10, source: 'admin', revoked_at: 1 } })]);
    expect(t.loads).toBe(0);
    new TokenizerWarmup(logger, t).start(NO_LIMITS, [view({ a: { tpm: 10, source: 'admin' } })]);
    expect(t.loads).toBe(1);
  });

  it('no tpm limit: nothing loaded; an admin key or team with one arriving later: loaded on a turn of its own, once', async () => {
    const t = fakeTokenizer();
    const keys = view({ a: { tpm: null, source: 'admin' } });
    const teams = view();
    new TokenizerWarmup(logger, t).start(NO_LIMITS, [keys, teams]);
    keys.apply('b', { tpm: null, source: 'admin' });
    await turn();
    expect(t.loads).toBe(0);
    teams.apply('search', { tpm: 5000, source: 'admin' });
    expect(t.loads).toBe(0);
    await turn();
    expect(t.loads).toBe(1);
    keys.apply('c', { tpm: 10, source: 'admin' });
    await turn();
    expect(t.loads).toBe(1);
  });

  it('another replica\'s config records over the bus do not count; a config reload that adds a tpm team does', async () => {
    const t = fakeTokenizer();
    const teams = view({ theirs: { tpm: 5000, source: 'config' } });
    const warmup = new TokenizerWarmup(logger, t);
    warmup.start(NO_LIMITS, [teams]);
    teams.apply('also-theirs', { tpm: 100, source: 'config' });
    await turn();
    expect(t.loads).toBe(0);
    warmup.configReloaded({ search: { tpm: 5000 } } as never);
    await turn();
    expect(t.loads).toBe(1);
  });

  it('does nothing when the tables are already loaded (a mock provider loads them at start)', () => {
    const t = fakeTokenizer();
    t.isLoaded = true;
    new TokenizerWarmup(logger, t).start({ keys: [{ tpm: 1000 }], teams: {} } as never, [view()]);
    expect(t.loads).toBe(0);
  });
});
