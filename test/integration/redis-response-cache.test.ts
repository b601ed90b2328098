import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { CACHE_KEY_PREFIX } from '@gatehouse/cache/cache-key';
import { RedisResponseCache } from '@gatehouse/cache/redis-response-cache';
import { registry } from '@gatehouse/observability';
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

describe('RedisResponseCache with a key index (two replicas on one Redis)', () => {
  let redis: { url: string; pid: number; stop(): Promise<void> };
  let admin: Redis;
  const replica = (maxKeys = 1000) => {
    const link = new RedisLink({ url: redis.url, commandTimeoutMs: 500 });
    links.push(link);
    return new RedisResponseCache({ link, timeoutMs: 500, logger, keyIndexMaxKeys: maxKeys });
  };
  const key = () => CACHE_KEY_PREFIX + randomBytes(32).toString('hex');
  const gets = async () => Number(/cmdstat_get:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
  const indexed = (c: RedisResponseCache) => waitUntil(() => c.index!.ready);
  const indexMisses = async () => Number(/^gatehouse_cache_index_misses_total (\d+)/m.exec(await registry.metrics())?.[1] ?? 0);
  const waitUntil = async (ok: () => boolean | Promise<boolean>) => {
    const until = Date.now() + 5000;
    while (!(await ok())) {
      if (Date.now() > until) throw new Error('not within 5 s');
      await sleep(20);
    }
  };

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  it('a lookup that cannot hit costs no Redis call; an entry another replica wrote is found', async () => {
    const [a, b] = [replica(), replica()];
    await Promise.all([indexed(a), indexed(b)]);
    const before = await gets();
    const answered = await indexMisses();
    for (let i = 0; i < 20; i++) await expect(b.get(key())).resolves.toBeNull();
    expect(await gets()).toBe(before);
    expect((await indexMisses()) - answered).toBe(20);
    const k = key();
    a.set(k, 'from a', 60);
    await a.close();
    // in b's index about when it is in Redis (the announcement travels in the write's pipeline)
    await waitUntil(async () => (await b.get(k)) === 'from a');
    await b.close();
  });

  it('a replica started later reads the entries Redis already holds; an expired entry is a MISS again', async () => {
    const a = replica();
    await indexed(a);
    const [k, short] = [key(), key()];
    a.set(k, 'older than b', 60);
    a.set(short, 'one second', 1);
    await a.close();
    const b = replica();
    await indexed(b);
    await expect(b.get(k)).resolves.toBe('older than b');
    await expect(b.get(short)).resolves.toBe('one second');
    await sleep(1100);
    const before = await gets();
    await expect(b.get(short)).resolves.toBeNull();
    expect(await gets()).toBe(before);
    await b.close();
  });

  it('while its subscriber is cut off a replica asks Redis (no false MISS), then catches up', async () => {
    const [a, b] = [replica(), replica()];
    await Promise.all([indexed(a), indexed(b)]);
    await admin.client('KILL', 'TYPE', 'pubsub');
    await waitUntil(() => !b.index!.ready);
    const k = key();
    a.set(k, 'written while b was deaf', 60);
    await sleep(50);
    await expect(b.get(k)).resolves.toBe('written while b was deaf');
    await indexed(b);
    const before = await gets();
    await expect(b.get(k)).resolves.toBe('written while b was deaf');
    // b asked Redis because its index (re-read with SCAN) holds the key, and misses elsewhere cost nothing again
    expect(await gets()).toBe(before + 1);
    await expect(b.get(key())).resolves.toBeNull();
    expect(await gets()).toBe(before + 1);
    await Promise.all([a.close(), b.close()]);
  });

  it('past key_index_max_keys the index steps aside: every lookup asks Redis', async () => {
    const small = replica(5);
    await indexed(small);
    for (let i = 0; i < 6; i++) small.set(key(), `v${i}`, 60);
    expect(small.index!.ready).toBe(false);
    const before = await gets();
    await expect(small.get(key())).resolves.toBeNull();
    expect(await gets()).toBe(before + 1);
    await small.close();
  });
});
