import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type AppProcess } from '../support/app-process';
import { waitFor } from '../support/limits';

/**
 * Service tokens across replicas over a real Kafka broker: two ingress processes and a guard. A
 * token made on one replica is accepted by the others once gatehouse.tokens.v1 delivers it; revoked
 * on one, it is refused by every replica within 2 s.
 */
const ADMIN = 'service-tokens-kafka-admin-0123456789';

describe('service tokens on two ingress replicas and a guard (Kafka)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gh-tokens-'));
  const config = join(dir, 'gatehouse.yaml');
  writeFileSync(config, 'providers:\n  mock: { type: mock }\nmodels:\n  m: { targets: [{ provider: mock, model: m }] }\nteams:\n  alpha: { rpm: 100 }\n  beta: { rpm: 100 }\n');
  let replicas: AppProcess[] = [];

  const call = async (app: AppProcess, method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** A route each replica serves: the team limits on an ingress, the policies on the guard. */
  const probe = (app: AppProcess, token: string) => call(app, 'GET', app === replicas[2] ? '/admin/policies' : '/admin/teams', token);

  beforeAll(async () => {
    const env = { GATEHOUSE_CONFIG: config, GATEHOUSE_ADMIN_TOKEN: ADMIN, GATEHOUSE_WORKERS: '1' };
    replicas = await Promise.all([startApp('ingress', { env }), startApp('ingress', { env }), startApp('guard', { env })]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a token on every replica, then refuses it everywhere within 2 s of its revocation', async () => {
    const [a, b, guard] = replicas as [AppProcess, AppProcess, AppProcess];
    const made = await call(a, 'POST', '/admin/tokens', ADMIN, { name: `lead-${Date.now()}`, role: 'team-admin', teams: ['alpha'] });
    expect(made.status).toBe(201);
    const token = made.body.token as string;
    for (const r of [a, b, guard]) await waitFor('token known', 10_000, async () => (await probe(r, token)).status === 200);
    const teams = await call(b, 'GET', '/admin/teams', token);
    expect(teams.body.data.map((t: { name: string }) => t.name)).toEqual(['alpha']);
    expect((await call(b, 'PUT', '/admin/teams/beta', token, { rpm: 1 })).body.error.message).toBe('requires teams:write on team "beta"');

    const revoked = await call(b, 'DELETE', `/admin/tokens/${made.body.id}`, ADMIN);
    expect(revoked.body.status).toBe('revoked');
    const at = Date.now();
    await waitFor('refused everywhere', 2000, async () => (await Promise.all([a, b, guard].map((r) => probe(r, token)))).every((x) => x.status === 401));
    expect(Date.now() - at).toBeLessThan(2000);
    const listed = await call(a, 'GET', '/admin/tokens', ADMIN);
    expect(listed.body.data.find((t: { id: string }) => t.id === made.body.id)).toMatchObject({ status: 'revoked' });
  });
});
