import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startApp, type AppProcess } from '../support/app-process';
import { waitFor } from '../support/limits';
import { BETA_ROUTES, policy } from '../support/team-scope-routes';
import { sha256, UPSTREAM_KEYS, writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';

/**
 * Roles, service tokens and the audit log over HTTP against standalone on two worker processes
 * (keys and teams are answered by the workers, policies, tokens and analytics by the primary).
 */
const ADMIN = 'roles-audit-admin-token-0123456789';
const ALPHA_KEY = 'gh-roles-alpha-app-key-0001';
const BETA_KEY = 'gh-roles-beta-app-key-0002';

interface Answer<T = any> {
  status: number;
  body: T;
}

describe('roles, service tokens and the audit log (standalone, 2 workers)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-roles-'));
  let config: WrittenConfig;
  let app: AppProcess;
  const tokens = { teamAdmin: '', viewer: '', admin2: '' };
  const ids = { alphaKey: '', betaKey: '', alphaTrace: '', betaTrace: '' };
  const secrets: string[] = [ADMIN, ALPHA_KEY, BETA_KEY, ...Object.values(UPSTREAM_KEYS)];

  const call = async <T = any>(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const chat = async (key: string) => {
    const r = await new OpenAI({ apiKey: key, baseURL: `${app.url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'local-model', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    return r.response.headers.get('x-gatehouse-request-id')!;
  };

  beforeAll(async () => {
    config = writeGatewayConfig({
      mockUrl: 'http://127.0.0.1:9',
      keys: [],
      sections: {
        keys: [
          { name: 'alpha-app', key_sha256: sha256(ALPHA_KEY), team: 'alpha', analytics: true },
          { name: 'beta-app', key_sha256: sha256(BETA_KEY), team: 'beta', analytics: true },
        ],
        teams: { alpha: { rpm: 1000 }, beta: { rpm: 1000 } },
      },
    });
    app = await startApp('standalone', {
      env: { GATEHOUSE_WORKERS: '2', KAFKA_BROKERS: '', REDIS_URL: '', CLICKHOUSE_URL: '', GATEHOUSE_ADMIN_TOKEN: ADMIN, GATEHOUSE_CONFIG: config.path, GATEHOUSE_DATA_DIR: dataDir },
      readyTimeoutMs: 90_000,
    });
    const mk = async (name: string, role: string, teams: string[]) => {
      const r = await call('POST', '/admin/tokens', ADMIN, { name, role, teams });
      expect(r.status).toBe(201);
      return r.body.token as string;
    };
    tokens.teamAdmin = await mk('alpha-lead', 'team-admin', ['alpha']);
    tokens.viewer = await mk('alpha-dashboards', 'viewer', ['alpha']);
    tokens.admin2 = await mk('ci-admin', 'admin', []);
    secrets.push(...Object.values(tokens));
    const a = await call('POST', '/admin/keys', ADMIN, { name: 'alpha-batch', team: 'alpha' });
    const b = await call('POST', '/admin/keys', ADMIN, { name: 'beta-batch', team: 'beta' });
    expect([a.status, b.status]).toEqual([201, 201]);
    ids.alphaKey = a.body.id;
    ids.betaKey = b.body.id;
    secrets.push(a.body.key, b.body.key);
    expect((await call('POST', '/admin/policies', ADMIN, policy('alpha-words', 'alpha'))).status).toBe(201);
    expect((await call('POST', '/admin/policies', ADMIN, policy('beta-words', 'beta'))).status).toBe(201);
    ids.alphaTrace = await chat(ALPHA_KEY);
    ids.betaTrace = await chat(BETA_KEY);
    await waitFor('traces stored', 20_000, async () => (await call('GET', `/analytics/traces/${ids.betaTrace}`, ADMIN)).status === 200);
  });

  afterAll(async () => {
    await app?.stop();
    config?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const resolve = (path: string) => path.replace(':betaKey', ids.betaKey).replace(':alphaKey', ids.alphaKey).replace(':betaTrace', ids.betaTrace).replace(':alphaTrace', ids.alphaTrace);

  it.each(BETA_ROUTES)('a team-admin of alpha gets 403 on %s %s (team beta)', async (method, path, body, permission) => {
    const r = await call(method, resolve(path), tokens.teamAdmin, body);
    expect(r.status).toBe(403);
    expect(r.body.error.type).toBe('permission_error');
    expect(r.body.error.message).toBe(`requires ${permission} on team "beta"`);
  });

  it('left team beta unchanged after all those refusals', async () => {
    const key = await call('GET', `/admin/keys/${ids.betaKey}`, ADMIN);
    expect(key.body).toMatchObject({ team: 'beta', rpm: null, status: 'active' });
    expect((await call('GET', '/admin/teams/beta', ADMIN)).body.rpm).toBe(1000);
    expect((await call('GET', '/admin/policies/beta-words', ADMIN)).body.version).toBe(1);
    expect((await call('GET', '/admin/keys', ADMIN)).body.data.map((k: { name: string }) => k.name)).not.toContain('sneaky');
  });

  it("lets the team-admin of alpha manage alpha's keys, team, policies and read its analytics", async () => {
    const t = tokens.teamAdmin;
    const created = await call('POST', '/admin/keys', t, { name: 'alpha-new', team: 'alpha' });
    expect(created.status).toBe(201);
    secrets.push(created.body.key);
    expect((await call('PATCH', `/admin/keys/${created.body.id}`, t, { rpm: 60 })).body.rpm).toBe(60);
    expect((await call('GET', `/admin/keys/${ids.alphaKey}/usage`, t)).status).toBe(200);
    expect((await call('DELETE', `/admin/keys/${created.body.id}`, t)).body.status).toBe('revoked');
    expect((await call('PUT', '/admin/teams/alpha', t, { rpm: 900 })).body.rpm).toBe(900);
    const current = await call('GET', '/admin/policies/alpha-words', t);
    expect(current.status).toBe(200);
    expect((await call('PUT', '/admin/policies/alpha-words', t, { ...policy('alpha-words', 'alpha'), mode: 'enforce' }, { 'if-match': `"${current.body.version}"` })).status).toBe(200);
    expect((await call('GET', `/analytics/traces/${ids.alphaTrace}`, t)).status).toBe(200);
    expect((await call('GET', '/analytics/usage?team=alpha', t)).status).toBe(200);
  });

  it('narrows lists to the caller’s teams', async () => {
    const keys = (await call('GET', '/admin/keys', tokens.teamAdmin)).body.data as { team: string }[];
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys.map((k) => k.team))).toEqual(new Set(['alpha']));
    expect((await call('GET', '/admin/teams', tokens.teamAdmin)).body.data.map((t: { name: string }) => t.name)).toEqual(['alpha']);
    expect((await call('GET', '/admin/policies', tokens.teamAdmin)).body.data.map((p: { id: string }) => p.id)).toEqual(['alpha-words']);
    const traces = (await call('GET', '/analytics/traces?from=0', tokens.viewer)).body.data as { team: string }[];
    expect(traces.map((x) => x.team)).toEqual(['alpha']);
    expect((await call('GET', '/admin/keys', ADMIN)).body.data.map((k: { team: string }) => k.team)).toEqual(expect.arrayContaining(['alpha', 'beta']));
  });

  it.each([
    ['POST', '/admin/tokens', { name: 'x', role: 'admin', teams: [] }, 'requires tokens:write (role team-admin does not have it)'],
    ['GET', '/admin/tokens', undefined, 'requires tokens:read (role team-admin does not have it)'],
    ['GET', '/admin/targets', undefined, 'requires targets:read (role team-admin does not have it)'],
    ['POST', '/admin/config/reload', undefined, 'requires config:write (role team-admin does not have it)'],
    ['POST', '/admin/policies', policy('everyone', '*'), 'requires policies:write on team "*"'],
  ])('keeps admin-only routes from a team-admin: %s %s', async (method, path, body, message) => {
    const r = await call(method, path, tokens.teamAdmin, body);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe(message);
  });

  it.each([
    ['POST', '/admin/keys', { name: 'v', team: 'alpha' }, 'keys:write'],
    ['PATCH', '/admin/keys/:alphaKey', { rpm: 1 }, 'keys:write'],
    ['DELETE', '/admin/keys/:alphaKey', undefined, 'keys:write'],
    ['PUT', '/admin/teams/alpha', { rpm: 1 }, 'teams:write'],
    ['PUT', '/admin/policies/alpha-words', policy('alpha-words', 'alpha'), 'policies:write'],
    ['DELETE', '/admin/policies/alpha-words', undefined, 'policies:write'],
    ['GET', '/admin/keys', undefined, 'keys:read'],
    ['GET', '/analytics/audit', undefined, 'audit:read'],
  ])('a viewer cannot %s %s', async (method, path, body, permission) => {
    const r = await call(method, resolve(path), tokens.viewer, body);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe(`requires ${permission} (role viewer does not have it)`);
  });

  it("lets a viewer and a team key with analytics: true read their own team's analytics only", async () => {
    for (const who of [tokens.viewer, ALPHA_KEY]) {
      expect((await call('GET', `/analytics/traces/${ids.alphaTrace}`, who)).status).toBe(200);
      const other = await call('GET', `/analytics/traces/${ids.betaTrace}`, who);
      expect(other.status).toBe(403);
      expect(other.body.error.message).toBe('requires analytics:read on team "beta"');
      expect((await call('GET', '/console/session', who)).body).toMatchObject({ role: 'viewer', teams: ['alpha'] });
    }
  });

  it('lists tokens without secrets or hashes; a service admin token can do what the bootstrap admin can', async () => {
    const list = await call('GET', '/admin/tokens', tokens.admin2);
    expect(list.status).toBe(200);
    expect(list.body.data.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['alpha-lead', 'alpha-dashboards', 'ci-admin']));
    const text = JSON.stringify(list.body);
    for (const t of Object.values(tokens)) expect(text).not.toContain(t);
    expect(text).not.toContain('token_sha256');
    expect((await call('GET', '/admin/targets', tokens.admin2)).status).toBe(200);
    expect((await call('POST', '/admin/tokens', ADMIN, { name: 'bad', role: 'viewer', teams: [] })).body.error.param).toBe('teams');
    expect((await call('POST', '/admin/tokens', ADMIN, { name: 'bad', role: 'owner', teams: ['a'] })).body.error.param).toBe('role');
  });

  it('rejects a revoked token on every worker and on the primary within 2 s', async () => {
    const made = await call('POST', '/admin/tokens', ADMIN, { name: 'short-lived', role: 'team-admin', teams: ['alpha'] });
    const token = made.body.token as string;
    secrets.push(token);
    expect((await call('GET', '/admin/keys', token)).status).toBe(200);
    const revoked = await call('DELETE', `/admin/tokens/${made.body.id}`, ADMIN);
    expect(revoked.body.status).toBe('revoked');
    const at = Date.now();
    // Worker-served (/admin/keys, /admin/teams: either worker answers) and primary-served routes.
    await waitFor('revocation everywhere', 2000, async () => {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => call('GET', ['/admin/keys', '/admin/teams', '/analytics/usage'][i % 3]!, token)));
      return answers.every((a) => a.status === 401);
    });
    expect(Date.now() - at).toBeLessThan(2000);
    const after = await Promise.all(Array.from({ length: 30 }, (_, i) => call('GET', ['/admin/keys', '/admin/teams', '/analytics/usage'][i % 3]!, token)));
    expect(after.map((a) => a.status)).toEqual(Array(30).fill(401));
  });

  it('records every admin change exactly once in the audit log, with actor, request id and no secret', async () => {
    const rid = () => `audit-${randomUUID()}`;
    const changes: { rid: string; method: string; path: string; body?: unknown; token: string; actor: string; role: string; action: string; headers?: Record<string, string> }[] = [];
    const made = await call('POST', '/admin/keys', tokens.teamAdmin, { name: 'audited-key', team: 'alpha' }, { 'x-request-id': 'audit-seed' });
    secrets.push(made.body.key);
    const version = (await call('GET', '/admin/policies/alpha-words', ADMIN)).body.version;
    changes.push(
      { rid: rid(), method: 'POST', path: '/admin/keys', body: { name: 'audited-2', team: 'alpha' }, token: ADMIN, actor: 'admin', role: 'admin', action: 'key.create' },
      { rid: rid(), method: 'PATCH', path: `/admin/keys/${made.body.id}`, body: { rpm: 7 }, token: tokens.teamAdmin, actor: 'token:alpha-lead', role: 'team-admin', action: 'key.update' },
      { rid: rid(), method: 'DELETE', path: `/admin/keys/${made.body.id}`, token: tokens.teamAdmin, actor: 'token:alpha-lead', role: 'team-admin', action: 'key.revoke' },
      { rid: rid(), method: 'PUT', path: '/admin/teams/alpha', body: { rpm: 800 }, token: tokens.teamAdmin, actor: 'token:alpha-lead', role: 'team-admin', action: 'team.update' },
      { rid: rid(), method: 'POST', path: '/admin/policies', body: policy('audited-policy', 'alpha'), token: tokens.teamAdmin, actor: 'token:alpha-lead', role: 'team-admin', action: 'policy.create' },
      { rid: rid(), method: 'PUT', path: '/admin/policies/alpha-words', body: policy('alpha-words', 'alpha'), token: tokens.admin2, actor: 'token:ci-admin', role: 'admin', action: 'policy.update', headers: { 'if-match': `"${version}"` } },
      { rid: rid(), method: 'DELETE', path: '/admin/policies/audited-policy', token: ADMIN, actor: 'admin', role: 'admin', action: 'policy.delete' },
      { rid: rid(), method: 'POST', path: '/admin/config/reload', token: ADMIN, actor: 'admin', role: 'admin', action: 'config.reload' },
      { rid: rid(), method: 'POST', path: '/admin/tokens', body: { name: 'audited-token', role: 'viewer', teams: ['beta'] }, token: ADMIN, actor: 'admin', role: 'admin', action: 'token.create' },
    );
    let createdToken: { id: string; token: string } | null = null;
    for (const c of changes) {
      const r = await call(c.method, c.path, c.token, c.body, { 'x-request-id': c.rid, ...(c.headers ?? {}) });
      expect([c.method, c.path, r.status < 300]).toEqual([c.method, c.path, true]);
      if (c.action === 'key.create') secrets.push(r.body.key);
      if (c.action === 'token.create') createdToken = r.body;
    }
    secrets.push(createdToken!.token);
    const revokeRid = rid();
    expect((await call('DELETE', `/admin/tokens/${createdToken!.id}`, ADMIN, undefined, { 'x-request-id': revokeRid })).status).toBe(200);
    changes.push({ rid: revokeRid, method: 'DELETE', path: '/admin/tokens/:id', token: ADMIN, actor: 'admin', role: 'admin', action: 'token.revoke' });
    // A refused change is not recorded.
    const refusedRid = rid();
    expect((await call('PUT', '/admin/teams/beta', tokens.teamAdmin, { rpm: 2 }, { 'x-request-id': refusedRid })).status).toBe(403);

    const rows = await waitFor('audit rows', 20_000, async () => {
      const r = await call<{ data: Record<string, any>[] }>('GET', '/analytics/audit?from=0&limit=1000', ADMIN);
      const mine = r.body.data.filter((row) => changes.some((c) => c.rid === row.request_id));
      return mine.length >= changes.length ? r.body.data : null;
    });
    for (const c of changes) {
      const matching = rows.filter((row) => row.request_id === c.rid);
      expect([c.action, matching.length]).toEqual([c.action, 1]);
      expect(matching[0]).toMatchObject({ actor: c.actor, role: c.role, action: c.action, source_ip: '127.0.0.1' });
    }
    expect(rows.filter((row) => row.request_id === refusedRid)).toEqual([]);
    const keyUpdate = rows.find((row) => row.action === 'key.update' && row.request_id === changes[1]!.rid)!;
    expect(keyUpdate).toMatchObject({ target_type: 'key', target_id: made.body.id, teams: ['alpha'], before: { rpm: null }, after: { rpm: 7 } });
    const text = JSON.stringify(rows);
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).not.toMatch(/key_sha256|token_sha256/);
  });

  it('shows a team-admin the audit events of its teams only; a bad filter is a 400 naming it', async () => {
    const mine = await call<{ data: { teams: string[] }[] }>('GET', '/analytics/audit?from=0&limit=1000', tokens.teamAdmin);
    expect(mine.status).toBe(200);
    expect(mine.body.data.length).toBeGreaterThan(0);
    for (const row of mine.body.data) expect(row.teams).toContain('alpha');
    const page = await call('GET', '/analytics/audit?from=0&limit=2', ADMIN);
    expect(page.body.data).toHaveLength(2);
    const next = await call('GET', `/analytics/audit?from=0&limit=2&cursor=${page.body.next_cursor}`, ADMIN);
    expect(next.body.data[0].ts).toBeLessThanOrEqual(page.body.data[1].ts);
    expect(next.body.data.map((r: { event_id: string }) => r.event_id)).not.toContain(page.body.data[1].event_id);
    const byAction = await call('GET', '/analytics/audit?from=0&action=token.revoke', ADMIN);
    expect(byAction.body.data.length).toBeGreaterThan(0);
    for (const row of byAction.body.data) expect(row.action).toBe('token.revoke');
    expect((await call('GET', '/analytics/audit?limit=0', ADMIN)).body.error.param).toBe('limit');
    expect((await call('GET', '/analytics/audit?colour=red', ADMIN)).status).toBe(400);
  });
});
