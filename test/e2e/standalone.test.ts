import OpenAI from 'openai';
import { startApp, type AppProcess } from '../support/app-process';

const DEV_KEY = 'gh-dev-insecure-example-key';
const ADMIN = 'test-admin-token-0123456789';

async function poll<T>(fn: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error(`not found within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('standalone on embedded defaults (bundled example config, in-process bus, chDB)', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await startApp('standalone', { env: { GATEHOUSE_ADMIN_TOKEN: ADMIN, KAFKA_BROKERS: '', GATEHOUSE_CONFIG: '' } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers a chat completion from the mock provider with the dev key, and its trace is queryable within 5 s', async () => {
    const client = new OpenAI({ apiKey: DEV_KEY, baseURL: `${app.url}/v1` });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello gateway' }] })
      .withResponse();
    expect(data.choices[0].message.content).toContain('Hello gateway');
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    const requestId = response.headers.get('x-gatehouse-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-gatehouse-provider')).toBe('mock');

    const started = Date.now();
    const trace = await poll(async () => {
      const r = await fetch(`${app.url}/analytics/traces/${requestId}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : null;
    }, 5000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(trace).toMatchObject({ request_id: requestId, status: 200, model_requested: 'gpt-4o-mini', provider: 'mock', team: 'platform' });
  });

  it('rejects a request without a key in the OpenAI error format', async () => {
    const r = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(r.status).toBe(401);
    const body = (await r.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('authentication_error');
    expect(body.error.message).toMatch(/missing API key/);
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_requests_total\{endpoint="chat",status="200"\} \d+/);
  });

  describe('keys admin API', () => {
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${app.url}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

    it('creates a key whose secret is shown once, restricts its models, and revokes it', async () => {
      const created = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'ci-key', team: 'search', models: ['gpt-*'] }) });
      expect(created.status).toBe(201);
      const key = (await created.json()) as { id: string; key: string; team: string; status: string };
      expect(key).toMatchObject({ team: 'search', status: 'active' });
      expect(key.key).toMatch(/^gh-/);
      const listed = await (await admin('/admin/keys')).text();
      expect(listed).toContain(key.id);
      expect(listed).not.toContain(key.key);
      expect(listed).not.toContain('key_sha256');

      const client = new OpenAI({ apiKey: key.key, baseURL: `${app.url}/v1`, maxRetries: 0 });
      const ok = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      expect(ok.choices[0].message.content).toContain('hi');
      await expect(client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 403 });

      const patched = await admin(`/admin/keys/${key.id}`, { method: 'PATCH', body: JSON.stringify({ models: ['*'] }) });
      expect(patched.status).toBe(200);
      await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });

      const revoked = await admin(`/admin/keys/${key.id}`, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      expect(((await revoked.json()) as { status: string }).status).toBe('revoked');
      const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 401 });
      expect(String((err as Error).message)).toMatch(/revoked/);
    });

    it('answers bad admin input with a 400 naming the field, and needs the admin token', async () => {
      const bad = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'x', team: 'y', rpm: -1 }) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string; param: string } }).error).toMatchObject({ param: 'rpm' });
      const notJson = await admin('/admin/keys', { method: 'POST', body: '{"name":' });
      expect(notJson.status).toBe(400);
      expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
      const noToken = await fetch(`${app.url}/admin/keys`);
      expect(noToken.status).toBe(401);
      const missing = await admin('/admin/keys/key_nope');
      expect(missing.status).toBe(404);
    });

    it('refuses a second key with a name in use (admin or config key) with 409 naming the conflict; a revoked key frees its name', async () => {
      const first = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'team-a', team: 'a' }) });
      expect(first.status).toBe(201);
      const { id } = (await first.json()) as { id: string };
      const second = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'team-a', team: 'a' }) });
      expect(second.status).toBe(409);
      const conflict = ((await second.json()) as { error: { message: string; type: string; code: string; param: string } }).error;
      expect(conflict).toMatchObject({ type: 'conflict_error', code: 'key_name_taken', param: 'name' });
      expect(conflict.message).toContain('"team-a"');
      expect(conflict.message).toContain(id);

      const asConfigKey = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'dev', team: 'a' }) });
      expect(asConfigKey.status).toBe(409);
      expect(((await asConfigKey.json()) as { error: { message: string } }).error.message).toContain('cfg_dev');

      const other = (await (await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'team-b', team: 'b' }) })).json()) as { id: string };
      const renamed = await admin(`/admin/keys/${other.id}`, { method: 'PATCH', body: JSON.stringify({ name: 'team-a' }) });
      expect(renamed.status).toBe(409);

      expect((await admin(`/admin/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
      expect((await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'team-a', team: 'a' }) })).status).toBe(201);
    });
  });
});
