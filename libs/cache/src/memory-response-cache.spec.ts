import { MemoryResponseCache } from './memory-response-cache';

describe('MemoryResponseCache', () => {
  it('returns an entry until its ttl passes', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    const cache = new MemoryResponseCache(1024 * 1024, clock);
    cache.set('k', 'v', 2);
    await expect(cache.get('k')).resolves.toBe('v');
    clock.t += 1_900;
    await expect(cache.get('k')).resolves.toBe('v');
    clock.t += 200;
    await expect(cache.get('k')).resolves.toBeNull();
  });

  it('evicts the least recently used entries beyond its memory limit', async () => {
    const cache = new MemoryResponseCache(100);
    cache.set('a', 'x'.repeat(20), 60);
    cache.set('b', 'y'.repeat(20), 60);
    expect(cache.read('a')).not.toBeNull();
    cache.set('c', 'z'.repeat(20), 60);
    expect(cache.read('b')).toBeNull();
    expect(cache.read('a')).not.toBeNull();
    expect(cache.read('c')).not.toBeNull();
  });
});
