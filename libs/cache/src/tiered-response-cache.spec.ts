import { encodeCachedResponse, entryExpiry } from './cached-response';
import { MemoryResponseCache } from './memory-response-cache';
import type { ResponseCache } from './response-cache.port';
import { LOCAL_COPY_MAX_MS, TieredResponseCache } from './tiered-response-cache';

const entry = (expiresAt: number) =>
  encodeCachedResponse({ stream: false, provider: 'p', model_upstream: 'm', cost_usd: 0, text: null, expires_at: expiresAt }, '{"ok":true}');

/** A shared store that counts its reads. */
function remoteStore() {
  const values = new Map<string, string>();
  const remote: ResponseCache & { reads: number; values: Map<string, string> } = {
    kind: 'redis',
    reads: 0,
    values,
    get: async (k) => {
      remote.reads++;
      return values.get(k) ?? null;
    },
    set: (k, v) => void values.set(k, v),
    close: async () => undefined,
  };
  return remote;
}

describe('TieredResponseCache', () => {
  it('answers repeated lookups from its local copy, which never outlives the entry\'s own expiry', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    const remote = remoteStore();
    const tiered = new TieredResponseCache(remote, new MemoryResponseCache(1 << 20, clock), entryExpiry, clock.now);
    remote.values.set('k', entry(clock.t + 1_500));
    expect(await tiered.get('k')).not.toBeNull();
    expect(await tiered.get('k')).not.toBeNull();
    expect(remote.reads).toBe(1);
    clock.t += 1_600;
    remote.values.delete('k');
    expect(await tiered.get('k')).toBeNull();
    expect(remote.reads).toBe(2);
  });

  it('keeps a local copy at most LOCAL_COPY_MAX_MS, then reads the shared store again', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    const remote = remoteStore();
    const tiered = new TieredResponseCache(remote, new MemoryResponseCache(1 << 20, clock), entryExpiry, clock.now);
    remote.values.set('k', entry(clock.t + 3_600_000));
    expect(await tiered.get('k')).not.toBeNull();
    expect(await tiered.get('k')).not.toBeNull();
    expect(remote.reads).toBe(1);
    clock.t += LOCAL_COPY_MAX_MS + 1;
    expect(await tiered.get('k')).not.toBeNull();
    expect(remote.reads).toBe(2);
  });

  it('keeps no copy of an entry it writes: the first repeat reads the shared store, the next one the copy', async () => {
    const clock = { t: 1_000_000, now: () => clock.t };
    const remote = remoteStore();
    const local = new MemoryResponseCache(1 << 20, clock);
    const tiered = new TieredResponseCache(remote, local, entryExpiry, clock.now);
    tiered.set('k', entry(clock.t + 3_600_000), 3600);
    expect(remote.values.has('k')).toBe(true);
    expect(local.read('k')).toBeNull();
    expect(await tiered.get('k')).not.toBeNull();
    expect(await tiered.get('k')).not.toBeNull();
    expect(remote.reads).toBe(1);
  });
});
