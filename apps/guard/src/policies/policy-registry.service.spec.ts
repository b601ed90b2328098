import type { Bus } from '@gatehouse/bus';
import { PoliciesTopic, PolicyVersionsTopic, type PolicyBody, type PolicyEvent, type TopicDef } from '@gatehouse/contracts';
import { PolicyDirectory } from '@gatehouse/policies';
import type { Runtime } from '@gatehouse/runtime';
import { InProcessVersionCounter } from './in-process-version-counter';
import { PolicyRegistry } from './policy-registry.service';
import type { VersionCounter } from './version-counter.port';

const body = (id: string, word: string): PolicyBody => ({
  id,
  mode: 'enforce',
  on_error: 'deny',
  scope: { teams: ['*'], keys: ['*'], models: ['*'] },
  checks: [{ type: 'keywords', stage: 'input', action: 'deny', words: [word], case_sensitive: false }],
});

type Entry = [string, PolicyEvent | null];

/** A bus whose gatehouse.policies.v1 replays `history` on watch and that records what is published, per topic. */
function fakeBus(history: Entry[]) {
  const published: Entry[] = [];
  const versions: Entry[] = [];
  const bus = {
    publish: (t: TopicDef<unknown>, key: string, value: PolicyEvent | null) => void (t === PolicyVersionsTopic ? versions : published).push([key, value]),
    watch: async (t: TopicDef<unknown>, onChange: (key: string, value: PolicyEvent | null) => void) => {
      if (t === PoliciesTopic) for (const [k, v] of history) onChange(k, v);
      return { close: async () => undefined, lag: async () => 0 };
    },
  } as unknown as Bus;
  return { bus, published, versions };
}

async function registryOn(history: Entry[], counter: VersionCounter = new InProcessVersionCounter()) {
  const { bus, published, versions } = fakeBus(history);
  const runtime = { config: { policies: [] } } as unknown as Runtime;
  const directory = new PolicyDirectory();
  const registry = new PolicyRegistry(bus, runtime, directory, counter);
  await directory.start(bus);
  await registry.onModuleInit();
  return { registry, published, versions };
}

async function versionOf(registry: PolicyRegistry, b: PolicyBody, expected: number | null = null): Promise<number> {
  const r = await registry.publish(b, 'admin', expected);
  if (!r.ok) throw new Error(`conflict at ${r.current}`);
  return r.event.version;
}

describe('PolicyRegistry versions', () => {
  it('every publish makes the next version, recorded with its actor on both the latest and the history topic', async () => {
    const { registry, published, versions } = await registryOn([]);
    expect(await versionOf(registry, body('p', 'a'))).toBe(1);
    expect(await versionOf(registry, body('p', 'b'))).toBe(2);
    expect(published.map(([k, v]) => [k, v?.version, v?.actor])).toEqual([['p', 1, 'admin'], ['p', 2, 'admin']]);
    expect(versions.map(([k]) => k)).toEqual(['p@1', 'p@2']);
  });

  it('a policy re-created after DELETE continues its version count, so (id, version) never names two bodies', async () => {
    const { registry, published } = await registryOn([]);
    await versionOf(registry, body('p', 'a'));
    await versionOf(registry, body('p', 'b'));
    registry.remove('p');
    expect(registry.get('p')).toBeUndefined();
    expect(await versionOf(registry, body('p', 'c'))).toBe(3);
    expect(published.map(([, v]) => v?.version ?? null)).toEqual([1, 2, null, 3]);
  });

  it('a guard that replays a deleted policy from the topic also continues the count', async () => {
    const v4: PolicyEvent = { id: 'p', version: 4, created_at: 1, policy: body('p', 'a') };
    const { registry } = await registryOn([['p', v4], ['p', null]]);
    expect(registry.list()).toEqual([]);
    expect(await versionOf(registry, body('p', 'z'))).toBe(5);
  });

  it('If-Match naming the latest version mints the next; a stale one publishes nothing and answers the latest', async () => {
    const { registry, published } = await registryOn([]);
    await versionOf(registry, body('p', 'a'));
    expect(await versionOf(registry, body('p', 'b'), 1)).toBe(2);
    expect(await registry.publish(body('p', 'c'), 'admin', 1)).toEqual({ ok: false, current: 2 });
    expect(published).toHaveLength(2);
    expect(registry.get('p')?.policy.checks[0]).toMatchObject({ words: ['b'] });
  });

  it('two registries sharing one counter (two guard replicas) never mint the same version', async () => {
    const counter = new InProcessVersionCounter();
    const [a, b] = [await registryOn([], counter), await registryOn([], counter)];
    const minted = await Promise.all([1, 2, 3].flatMap((i) => [versionOf(a.registry, body('p', `a${i}`)), versionOf(b.registry, body('p', `b${i}`))]));
    expect([...minted].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
