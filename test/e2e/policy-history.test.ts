import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { startApp, type AppProcess } from '../support/app-process';
import { writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';

/**
 * Policy history and race-free versions across two guard replicas over the real Kafka broker and
 * Redis of the integration setup: every version stays readable after a restart (from
 * gatehouse.policy-versions.v1), If-Match gives optimistic concurrency, and the Redis counter never
 * lets two replicas mint the same version.
 */

const ADMIN = 'test-admin-token-policy-history-0123';
const RUN = randomUUID().slice(0, 8);

interface VersionItem { version: number; created_at: number; actor: string | null; summary: string; changed: string[] }
interface PolicyEventBody { id: string; version: number; actor?: string | null; policy: { mode: string; checks: Array<{ words?: string[] }> } }

const body = (words: string[], mode = 'enforce') => ({ mode, checks: [{ type: 'keywords', words, action: 'deny' }] });

describe('policy history and versions across two guard replicas', () => {
  let config: WrittenConfig;
  let guards: AppProcess[] = [];
  const env = () => ({ GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN });

  const api = (guard: AppProcess, path: string, init: { method?: string; body?: unknown; ifMatch?: string } = {}) =>
    fetch(`${guard.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${ADMIN}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.ifMatch === undefined ? {} : { 'if-match': init.ifMatch }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    expect(process.env.REDIS_URL).toBeTruthy();
    config = writeGatewayConfig({ mockUrl: 'http://127.0.0.1:9', keys: [] });
    guards = await Promise.all([startApp('guard', { env: env() }), startApp('guard', { env: env() })]);
  });
  afterAll(async () => {
    await Promise.all(guards.map((g) => g.stop()));
    config?.remove();
  });

  it('after 3 PUTs and a guard restart, versions 1-3 are readable with their bodies, and the diff shows the change', async () => {
    const id = `hist-${RUN}`;
    const etags: Array<string | null> = [];
    for (const [i, words] of [['alpha'], ['beta'], ['beta', 'gamma']].entries()) {
      const r = await api(guards[0]!, `/admin/policies/${id}`, { method: 'PUT', body: body(words, i === 2 ? 'monitor' : 'enforce') });
      expect(r.status).toBe(200);
      expect(((await r.json()) as PolicyEventBody).version).toBe(i + 1);
      etags.push(r.headers.get('etag'));
    }
    expect(etags).toEqual(['"1"', '"2"', '"3"']);

    await guards[0]!.stop();
    guards[0] = await startApp('guard', { env: env() });

    for (const guard of guards) {
      const list = (await (await api(guard, `/admin/policies/${id}/versions`)).json()) as { id: string; data: VersionItem[] };
      expect(list.data.map((v) => [v.version, v.actor, v.changed])).toEqual([
        [1, 'admin', ['description', 'mode', 'on_error', 'scope', 'checks']],
        [2, 'admin', ['checks']],
        [3, 'admin', ['mode', 'checks']],
      ]);
      expect(list.data[2]!.summary).toBe('monitor, on_error deny; 1 check: keywords/deny');
    }
    const words: string[][] = [];
    for (const v of [1, 2, 3]) {
      const r = await api(guards[0]!, `/admin/policies/${id}/versions/${v}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('etag')).toBe(`"${v}"`);
      const e = (await r.json()) as PolicyEventBody;
      expect(e).toMatchObject({ id, version: v, actor: 'admin' });
      words.push(e.policy.checks[0]!.words!);
    }
    expect(words).toEqual([['alpha'], ['beta'], ['beta', 'gamma']]);

    const diff = (await (await api(guards[0]!, `/admin/policies/${id}/diff?from=1&to=3`)).json()) as { from: { version: number }; to: { version: number }; changes: unknown[] };
    expect(diff.from.version).toBe(1);
    expect(diff.to.version).toBe(3);
    expect(diff.changes).toEqual(expect.arrayContaining([
      { op: 'replace', path: '/mode', value: 'monitor', old_value: 'enforce' },
      { op: 'replace', path: '/checks/0/words/0', value: 'beta', old_value: 'alpha' },
      { op: 'add', path: '/checks/0/words/1', value: 'gamma' },
    ]));
    expect(diff.changes).toHaveLength(3);

    const missing = await api(guards[0]!, `/admin/policies/${id}/versions/9`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string; param: string } }).error).toMatchObject({ param: 'v', message: expect.stringContaining('versions: 1, 2, 3') });
    const badDiff = await api(guards[0]!, `/admin/policies/${id}/diff?from=x`);
    expect(badDiff.status).toBe(400);
    expect(((await badDiff.json()) as { error: { param: string } }).error.param).toBe('from');
  });

  it('the history topic is compacted by <id>@<version>, so compaction keeps every version', async () => {
    const kafka = new Kafka({ clientId: `policy-history-test-${RUN}`, brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'gatehouse.policy-versions.v1', configNames: ['cleanup.policy'] }] });
      expect(cfg.resources[0]!.configEntries[0]!.configValue).toBe('compact');
      const consumer = kafka.consumer({ groupId: `policy-history-test-${RUN}` });
      const keys: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: 'gatehouse.policy-versions.v1', fromBeginning: true });
      const ends = await admin.fetchTopicOffsets('gatehouse.policy-versions.v1');
      const high = ends.reduce((n, p) => n + Number(p.high), 0);
      let seen = 0;
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            const key = message.key?.toString() ?? '';
            if (key.startsWith(`hist-${RUN}@`)) keys.push(key);
            if (++seen >= high) resolve();
          },
        });
      });
      await consumer.disconnect();
      expect([...new Set(keys)].sort()).toEqual([`hist-${RUN}@1`, `hist-${RUN}@2`, `hist-${RUN}@3`]);
    } finally {
      await admin.disconnect();
    }
  });

  it('two concurrent PUTs with the same If-Match on two replicas: exactly one 200 and one 409 naming the current version', async () => {
    const id = `ifm-${RUN}`;
    const first = await api(guards[0]!, `/admin/policies/${id}`, { method: 'PUT', body: body(['one']) });
    expect(first.status).toBe(200);
    const answers = await Promise.all(guards.map((g, i) => api(g, `/admin/policies/${id}`, { method: 'PUT', ifMatch: '"1"', body: body([`two-${i}`]) })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = answers.find((r) => r.status === 200)!;
    const loser = answers.find((r) => r.status === 409)!;
    expect(((await winner.json()) as PolicyEventBody).version).toBe(2);
    expect(winner.headers.get('etag')).toBe('"2"');
    expect(loser.headers.get('etag')).toBe('"2"');
    const error = ((await loser.json()) as { error: { type: string; code: string; param: string; message: string } }).error;
    expect(error).toMatchObject({ type: 'conflict_error', code: 'version_conflict', param: 'If-Match' });
    expect(error.message).toContain('latest version is 2');

    const ok = await api(guards[1]!, `/admin/policies/${id}`, { method: 'PUT', ifMatch: '2', body: body(['three']) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as PolicyEventBody).version).toBe(3);
    const bad = await api(guards[1]!, `/admin/policies/${id}`, { method: 'PUT', ifMatch: 'latest', body: body(['x']) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('If-Match');
  });

  it('two guard processes PUTting concurrently without If-Match never mint a duplicate version', async () => {
    const id = `race-${RUN}`;
    const puts = Array.from({ length: 12 }, (_, i) => api(guards[i % 2]!, `/admin/policies/${id}`, { method: 'PUT', body: body([`w${i}`]) }));
    const answers = await Promise.all(puts);
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    const versions = await Promise.all(answers.map(async (r) => ((await r.json()) as PolicyEventBody).version));
    expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));

    // Both replicas end up with all twelve versions, and version 12 as the latest whatever order the topic delivered them in.
    for (const guard of guards) {
      const deadline = Date.now() + 10_000;
      let list: VersionItem[] = [];
      let latest = 0;
      while (Date.now() < deadline) {
        list = ((await (await api(guard, `/admin/policies/${id}/versions`)).json()) as { data: VersionItem[] }).data;
        latest = ((await (await api(guard, `/admin/policies/${id}`)).json()) as PolicyEventBody).version;
        if (list.length === 12 && latest === 12) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(list.map((v) => v.version)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(latest).toBe(12);
    }
  });
});
