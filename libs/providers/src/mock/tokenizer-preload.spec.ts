/**
 * The mock provider loads the tokenizer when it is created, so the first request it answers does
 * not pay ~250 ms for the tables (standalone on embedded defaults: 238 → 18 ms). Nothing else loads
 * them ahead of use. Each case loads a fresh copy of the modules.
 */
describe('tokenizer tables: loaded by the mock provider at creation, by nothing else ahead of use', () => {
  const fresh = () => {
    let mods!: { tokens: typeof import('./tokens'); mock: typeof import('./mock.provider'); index: typeof import('../index') };
    jest.isolateModules(() => {
      mods = { tokens: require('./tokens'), mock: require('./mock.provider'), index: require('../index') };
    });
    return mods;
  };

  it('creating a mock provider loads them', () => {
    const { tokens, mock } = fresh();
    expect(tokens.tokenizerLoaded()).toBe(false);
    mock.createMockProvider();
    expect(tokens.tokenizerLoaded()).toBe(true);
  });

  it('loading the providers library does not', () => {
    const { tokens } = fresh();
    expect(tokens.tokenizerLoaded()).toBe(false);
  });
});
