import { dependencyDown, ReadinessRegistry } from './readiness';

describe('ReadinessRegistry', () => {
  it('refuses a second check under a name already registered (one holder per state per process)', async () => {
    const r = new ReadinessRegistry();
    r.register('policies', () => ({ ok: true }));
    expect(() => r.register('policies', () => ({ ok: false }))).toThrow(/"policies" is registered twice/);
    expect(await r.evaluate()).toEqual({ ready: true, degraded: [], checks: { policies: { ok: true } } });
  });

  it('a Redis dependency that is down keeps the process ready but degraded with fail_open, and not ready with fail_closed', async () => {
    const open = new ReadinessRegistry();
    open.register('keys', () => ({ ok: true }));
    open.register('jobs', () => dependencyDown('fail_open', { queue: 'bullmq' }));
    expect(await open.evaluate()).toEqual({
      ready: true,
      degraded: ['jobs'],
      checks: { keys: { ok: true }, jobs: { ok: true, degraded: true, detail: { queue: 'bullmq', on_redis_error: 'fail_open' } } },
    });
    const closed = new ReadinessRegistry();
    closed.register('jobs', () => dependencyDown('fail_closed', { queue: 'bullmq' }));
    expect(await closed.evaluate()).toMatchObject({ ready: false, degraded: ['jobs'] });
  });
});
