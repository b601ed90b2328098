import { Redis } from 'ioredis';
import { RedisLink } from './redis-link';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRedis } = require('../../../test/support/services/redis') as { startRedis(): Promise<{ url: string; pid: number; stop(): Promise<void> }> };

describe('RedisLink: the commands of one event-loop turn leave in one socket write', () => {
  let server: { url: string; pid: number; stop(): Promise<void> };
  let link: RedisLink;
  let observer: Redis;
  /** Socket reads Redis has processed (INFO stats); the INFO that asks counts as one more. */
  const reads = async () => Number(/total_reads_processed:(\d+)/.exec(await observer.info('stats'))![1]);

  beforeAll(async () => {
    server = await startRedis();
    link = new RedisLink({ url: server.url, commandTimeoutMs: 1000 });
    observer = new Redis(server.url);
    await new Promise((r) => link.client.once('ready', r));
  }, 20_000);
  afterAll(async () => {
    await link.close();
    observer.disconnect();
    await server.stop();
  });

  it('a batcher sending at the turn end, then two lookups made in the same turn: Redis reads the three once, each gets its answer', async () => {
    await link.client.set('a', '1');
    const before = await reads();
    let batch: Promise<number> | null = null;
    link.atTurnEnd(() => (batch = link.client.incr('n')));
    const lookups = Promise.all([link.client.get('a'), link.client.get('missing')]);
    expect(await lookups).toEqual(['1', null]);
    expect(await batch).toBe(1);
    // 1 read for the three commands, 1 for the INFO asking
    expect((await reads()) - before).toBe(2);
  });

  it('without a batch pending, commands go out as they are made (the turn end is not waited for)', async () => {
    const before = await reads();
    await link.client.get('a');
    await link.client.get('a');
    expect((await reads()) - before).toBe(3);
  });

  it('while Redis is unreachable, commands fail at once and the turn end still runs', async () => {
    const dead = new RedisLink({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 100 });
    let flushed = false;
    dead.atTurnEnd(() => (flushed = true));
    const t = Date.now();
    await expect(dead.client.get('a')).rejects.toThrow();
    expect(Date.now() - t).toBeLessThan(1_000);
    await new Promise((r) => setImmediate(r));
    expect(flushed).toBe(true);
    await dead.close();
  });
});
