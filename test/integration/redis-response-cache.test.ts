import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { RedisResponseCache } from '@gatehouse/cache/redis-response-cache';
import { RedisLink } from '@gatehouse/redis/redis-link';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRedis } = require('../support/services/redis') as { startRedis(): Promise<{ url: string; pid: number; stop(): Promise<void> }> };

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const links: RedisLink[] = [];
const linked = (url: string, timeoutMs: number) => {
  const link = new RedisLink({ url, commandTimeoutMs: timeoutMs });
  links.push(link);
  return new RedisResponseCache({ link, timeoutMs, logger });
};
afterAll(() => Promise.all(links.map((l) => l.close())));

describe('RedisResponseCache on a real Redis', () => {
  let cache: RedisResponseCache;
  beforeAll(async () => {
    cache = linked(process.env.REDIS_URL!, 200);
    await sleep(300);
  });
  afterAll(() => cache.close());

  it('stores an entry for its ttl', async () => {
    const key = `test:${randomUUID()}`;
    await expect(cache.get(key)).resolves.toBeNull();
    cache.set(key, 'line one\nbody €', 1);
    await sleep(50);
    await expect(cache.get(key)).resolves.toBe('line one\nbody €');
    await sleep(1_100);
    await expect(cache.get(key)).resolves.toBeNull();
  });

  it('writes made together (batched off the request path) all land, each with its ttl; close() sends the ones still waiting', async () => {
    const keys = Array.from({ length: 150 }, () => `test:${randomUUID()}`);
    keys.forEach((k, i) => cache.set(k, `entry ${i}`, 60));
    const deadline = Date.now() + 5_000;
    let found: Array<string | null> = [];
    while (Date.now() < deadline) {
      found = await Promise.all(keys.map((k) => cache.get(k)));
      if (found.every((v) => v !== null)) break;
      await sleep(20);
    }
    expect(found).toEqual(keys.map((_, i) => `entry ${i}`));
    const other = linked(process.env.REDIS_URL!, 200);
    await sleep(300);
    const last = `test:${randomUUID()}`;
    other.set(last, 'written at shutdown', 60);
    await other.close();
    await expect(cache.get(last)).resolves.toBe('written at shutdown');
  });
});

describe('RedisResponseCache when Redis hangs (SIGSTOP) and comes back (SIGCONT)', () => {
  let redis: { url: string; pid: number; stop(): Promise<void> };
  let cache: RedisResponseCache;
  beforeAll(async () => {
    redis = await startRedis();
    cache = linked(redis.url, 30);
    await sleep(300);
  });
  afterAll(async () => {
    process.kill(redis.pid, 'SIGCONT');
    await cache.close();
    await redis.stop();
  });

  it('gives up a lookup after the timeout (a MISS), then finds entries again once Redis answers', async () => {
    cache.set('k', 'v', 60);
    await sleep(50);
    await expect(cache.get('k')).resolves.toBe('v');
    process.kill(redis.pid, 'SIGSTOP');
    const t = performance.now();
    await expect(cache.get('k')).resolves.toBeNull();
    const ms = performance.now() - t;
    expect(ms).toBeGreaterThanOrEqual(29);
    expect(ms).toBeLessThan(500);
    process.kill(redis.pid, 'SIGCONT');
    await sleep(100);
    await expect(cache.get('k')).resolves.toBe('v');
  });
});
