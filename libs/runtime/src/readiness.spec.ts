import { ReadinessRegistry } from './readiness';

describe('ReadinessRegistry', () => {
  it('refuses a second check under a name already registered (one holder per state per process)', async () => {
    const r = new ReadinessRegistry();
    r.register('policies', () => ({ ok: true }));
    expect(() => r.register('policies', () => ({ ok: false }))).toThrow(/"policies" is registered twice/);
    expect(await r.evaluate()).toEqual({ ready: true, checks: { policies: { ok: true } } });
  });
});
