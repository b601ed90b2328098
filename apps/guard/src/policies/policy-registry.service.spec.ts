import type { Bus } from '@gatehouse/bus';
import type { PolicyBody, PolicyEvent } from '@gatehouse/contracts';
import { PolicyDirectory } from '@gatehouse/policies';
import type { Runtime } from '@gatehouse/runtime';
import { PolicyRegistry } from './policy-registry.service';

const body = (id: string, word: string): PolicyBody => ({
  id,
  mode: 'enforce',
  on_error: 'deny',
  scope: { teams: ['*'], keys: ['*'], models: ['*'] },
  checks: [{ type: 'keywords', stage: 'input', action: 'deny', words: [word], case_sensitive: false }],
});

/** A bus whose compacted topic replays `history` on watch and records what is published. */
function fakeBus(history: Array<[string, PolicyEvent | null]>) {
  const published: Array<[string, PolicyEvent | null]> = [];
  const bus = {
    publish: (_t: unknown, key: string, value: PolicyEvent | null) => void published.push([key, value]),
    watch: async (_t: unknown, onChange: (key: string, value: PolicyEvent | null) => void) => {
      for (const [k, v] of history) onChange(k, v);
      return { close: async () => undefined, lag: async () => 0 };
    },
  } as unknown as Bus;
  return { bus, published };
}

async function registryOn(history: Array<[string, PolicyEvent | null]>) {
  const { bus, published } = fakeBus(history);
  const runtime = { config: { policies: [] } } as unknown as Runtime;
  const directory = new PolicyDirectory();
  const registry = new PolicyRegistry(bus, runtime, directory);
  await directory.start(bus);
  registry.onModuleInit();
  return { registry, published };
}

describe('PolicyRegistry versions', () => {
  it('every publish makes the next version', async () => {
    const { registry } = await registryOn([]);
    expect(registry.publish(body('p', 'a')).version).toBe(1);
    expect(registry.publish(body('p', 'b')).version).toBe(2);
  });

  it('a policy re-created after DELETE continues its version count, so (id, version) never names two bodies', async () => {
    const { registry, published } = await registryOn([]);
    registry.publish(body('p', 'a'));
    registry.publish(body('p', 'b'));
    registry.remove('p');
    expect(registry.get('p')).toBeUndefined();
    expect(registry.publish(body('p', 'c')).version).toBe(3);
    expect(published.map(([, v]) => v?.version ?? null)).toEqual([1, 2, null, 3]);
  });

  it('a guard that replays a deleted policy from the topic also continues the count', async () => {
    const v4: PolicyEvent = { id: 'p', version: 4, created_at: 1, policy: body('p', 'a') };
    const { registry } = await registryOn([['p', v4], ['p', null]]);
    expect(registry.list()).toEqual([]);
    expect(registry.publish(body('p', 'z')).version).toBe(5);
  });
});
