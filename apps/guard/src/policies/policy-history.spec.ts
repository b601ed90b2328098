import type { Bus } from '@gatehouse/bus';
import { PoliciesTopic, PolicyVersionsTopic, type PolicyBody, type PolicyEvent, type TopicDef } from '@gatehouse/contracts';
import { PolicyDirectory } from '@gatehouse/policies';
import { PolicyHistory } from './policy-history';

const event = (id: string, version: number): PolicyEvent => ({
  id,
  version,
  created_at: version,
  policy: { id, mode: 'enforce', on_error: 'deny', scope: { teams: ['*'], keys: ['*'], models: ['*'] }, checks: [{ type: 'max_tokens', stage: 'input', action: 'deny', max: version }] } as PolicyBody,
});

type Entry = [string, PolicyEvent | null];

/** A bus holding what each compacted topic replays, recording what is published per topic. */
function fakeBus(latest: Entry[], versions: Entry[]) {
  const published = { latest: [] as Entry[], versions: [] as Entry[] };
  const live: Array<(key: string, value: PolicyEvent | null) => void> = [];
  const bus = {
    publish: (t: TopicDef<unknown>, key: string, value: PolicyEvent | null) => void (t === PolicyVersionsTopic ? published.versions : published.latest).push([key, value]),
    watch: async (t: TopicDef<unknown>, onChange: (key: string, value: PolicyEvent | null) => void) => {
      for (const [k, v] of t === PoliciesTopic ? latest : versions) onChange(k, v);
      if (t === PolicyVersionsTopic) live.push(onChange);
      return { close: async () => undefined, lag: async () => 0 };
    },
  } as unknown as Bus;
  return { bus, published, live };
}

async function historyOn(latest: Entry[], versions: Entry[]) {
  const { bus, published, live } = fakeBus(latest, versions);
  const directory = new PolicyDirectory();
  const history = new PolicyHistory(bus, directory);
  await directory.start(bus);
  await history.onModuleInit();
  return { history, directory, published, live };
}

describe('PolicyHistory', () => {
  it('reads every version from the history topic, not from what the latest topic still holds', async () => {
    const { history } = await historyOn(
      [['p', event('p', 1)], ['p', event('p', 2)], ['p', event('p', 3)]],
      [['p@1', event('p', 1)], ['p@3', event('p', 3)]],
    );
    expect(history.versions('p').map((e) => e.version)).toEqual([1, 3]);
    expect(history.version('p', 3)?.policy.checks[0]).toMatchObject({ max: 3 });
    expect(history.version('p', 2)).toBeUndefined();
    expect(history.versions('nope')).toEqual([]);
  });

  it('publishes a latest version missing from the history topic (made before it existed) once', async () => {
    const { history, published } = await historyOn([['p', event('p', 4)], ['q', event('q', 1)]], [['q@1', event('q', 1)]]);
    expect(published.versions.map(([k]) => k)).toEqual(['p@4']);
    expect(history.versions('p').map((e) => e.version)).toEqual([4]);
  });

  it('keeps recording live changes, from the history topic and from the directory', async () => {
    const { history, directory, live } = await historyOn([], []);
    directory.apply('p', event('p', 1));
    live[0]!('p@2', event('p', 2));
    expect(history.versions('p').map((e) => e.version)).toEqual([1, 2]);
  });

  it('a latest version older than the newest in the history (concurrent replicas, then compaction) is replaced by the newest', async () => {
    const { directory, published } = await historyOn([['p', event('p', 11)]], [['p@11', event('p', 11)], ['p@12', event('p', 12)]]);
    expect(directory.get('p')?.version).toBe(12);
    expect(published.latest.map(([k, v]) => [k, v?.version])).toEqual([['p', 12]]);
  });

  it('a deleted policy stays deleted', async () => {
    const { directory, published } = await historyOn([['p', event('p', 2)], ['p', null]], [['p@1', event('p', 1)], ['p@2', event('p', 2)]]);
    expect(directory.get('p')).toBeUndefined();
    expect(published.latest).toEqual([]);
  });
});
