import { randomUUID } from 'node:crypto';
import { GatewayError } from '@gatehouse/contracts';
import { RedisVersionCounter } from '../../apps/guard/src/policies/redis-version-counter';
import { freePort } from '../support/free-port';

describe('RedisVersionCounter on a real Redis', () => {
  const counters: RedisVersionCounter[] = [];
  const counter = (url = process.env.REDIS_URL!) => {
    const c = new RedisVersionCounter(url);
    counters.push(c);
    return c;
  };
  afterAll(() => Promise.all(counters.map((c) => c.close())));

  it('two counters (two guard replicas) minting concurrently never hand out the same version', async () => {
    const id = `vc-${randomUUID()}`;
    const [a, b] = [counter(), counter()];
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).mint(id, 0, null)));
    const versions = results.map((r) => (r.ok ? r.version : -1)).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('with the same expected version concurrently, exactly one mints; the others learn the latest', async () => {
    const id = `vc-${randomUUID()}`;
    const [a, b] = [counter(), counter()];
    await a.mint(id, 0, null);
    const results = await Promise.all([a, b, a, b].map((c) => c.mint(id, 0, 1)));
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, version: 2 }]);
    expect(results.filter((r) => !r.ok)).toEqual(Array(3).fill({ ok: false, current: 2 }));
  });

  it('never goes below the floor (a flushed Redis does not reuse numbers seen on the topics)', async () => {
    const id = `vc-${randomUUID()}`;
    expect(await counter().mint(id, 7, null)).toEqual({ ok: true, version: 8 });
    expect(await counter().mint(id, 3, 8)).toEqual({ ok: true, version: 9 });
  });

  it('an unreachable Redis is a 503 naming the counter, not a crash', async () => {
    const down = counter(`redis://127.0.0.1:${await freePort()}`);
    const error = await down.mint('p', 0, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 503, code: 'version_counter_unavailable' });
  });
});
