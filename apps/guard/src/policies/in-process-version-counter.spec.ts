import { InProcessVersionCounter } from './in-process-version-counter';

describe('InProcessVersionCounter', () => {
  it('mints one above the larger of its count and the floor, per id', async () => {
    const c = new InProcessVersionCounter();
    expect(await c.mint('a', 0, null)).toEqual({ ok: true, version: 1 });
    expect(await c.mint('a', 0, null)).toEqual({ ok: true, version: 2 });
    expect(await c.mint('a', 7, null)).toEqual({ ok: true, version: 8 });
    expect(await c.mint('b', 0, null)).toEqual({ ok: true, version: 1 });
  });

  it('with an expected version, mints only when it is the latest', async () => {
    const c = new InProcessVersionCounter();
    await c.mint('a', 0, null);
    expect(await c.mint('a', 0, 2)).toEqual({ ok: false, current: 1 });
    expect(await c.mint('a', 0, 1)).toEqual({ ok: true, version: 2 });
    expect(await c.mint('a', 0, 1)).toEqual({ ok: false, current: 2 });
  });
});
