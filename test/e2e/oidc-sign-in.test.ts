import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { freePort } from '../support/free-port';
import { sha256, writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';
import { waitFor } from '../support/limits';
import { startOidcProvider, type TestProvider } from '../support/oidc/start-provider';
import { BETA_ROUTES, policy } from '../support/team-scope-routes';

/**
 * OIDC sign-in for the console against a real OpenID Provider (`oidc-provider` on loopback) in
 * headless Chromium: authorization code + PKCE, the ID token validated through the provider's JWKS,
 * the groups claim mapped to a role. The session cookie then acts as team-admin of alpha only.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN = 'oidc-e2e-admin-token-0123456789';
const ALPHA_KEY = 'gh-oidc-alpha-app-key-0001';
const BETA_KEY = 'gh-oidc-beta-app-key-0002';
const CLIENT = { client_id: 'gatehouse-console', client_secret: 'oidc-client-secret-for-the-test-0000' };

interface Answer {
  status: number;
  body: any;
}

describe('OIDC sign-in to the console (oidc-provider, Chromium)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-oidc-'));
  let provider: TestProvider;
  let config: WrittenConfig;
  let app: AppProcess;
  let browser: Browser;
  let page: Page;
  const ids = { alphaKey: '', betaKey: '', alphaTrace: '', betaTrace: '' };

  const admin = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${app.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: await res.json() };
  };
  /** A call from the console page itself: same origin, the session cookie and nothing else. */
  const fromPage = (method: string, path: string, body?: unknown): Promise<Answer> =>
    page.evaluate(
      async ([m, p, b]) => {
        const res = await fetch(p as string, { method: m as string, headers: b ? { 'content-type': 'application/json' } : {}, body: b ? JSON.stringify(b) : undefined });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null };
      },
      [method, path, body] as const,
    );
  const chat = async (key: string) => {
    const r = await new OpenAI({ apiKey: key, baseURL: `${app.url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'local-model', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    return r.response.headers.get('x-gatehouse-request-id')!;
  };

  beforeAll(async () => {
    const port = await freePort();
    provider = await startOidcProvider({
      ...CLIENT,
      redirect_uri: `http://127.0.0.1:${port}/auth/oidc/callback`,
      accounts: {
        alice: { email: 'alice@example.test', groups: ['staff', 'alpha-leads'] },
        mallory: { email: 'mallory@example.test', groups: ['contractors'] },
      },
    });
    config = writeGatewayConfig({
      mockUrl: 'http://127.0.0.1:9',
      keys: [],
      sections: {
        keys: [
          { name: 'alpha-app', key_sha256: sha256(ALPHA_KEY), team: 'alpha' },
          { name: 'beta-app', key_sha256: sha256(BETA_KEY), team: 'beta' },
        ],
        teams: { alpha: { rpm: 1000 }, beta: { rpm: 1000 } },
        auth: {
          oidc: {
            issuer: provider.issuer,
            ...CLIENT,
            scopes: ['openid', 'email', 'groups'],
            role_claim: 'groups',
            roles: { 'alpha-leads': { role: 'team-admin', teams: ['alpha'] }, staff: { role: 'viewer', teams: ['alpha', 'beta'] } },
          },
        },
      },
    });
    app = await startApp('standalone', {
      port,
      env: { GATEHOUSE_WORKERS: '1', KAFKA_BROKERS: '', REDIS_URL: '', CLICKHOUSE_URL: '', GATEHOUSE_ADMIN_TOKEN: ADMIN, GATEHOUSE_CONFIG: config.path, GATEHOUSE_DATA_DIR: dataDir },
      readyTimeoutMs: 90_000,
    });
    const a = await admin('POST', '/admin/keys', { name: 'alpha-batch', team: 'alpha' });
    const b = await admin('POST', '/admin/keys', { name: 'beta-batch', team: 'beta' });
    ids.alphaKey = a.body.id;
    ids.betaKey = b.body.id;
    expect((await admin('POST', '/admin/policies', policy('alpha-words', 'alpha'))).status).toBe(201);
    expect((await admin('POST', '/admin/policies', policy('beta-words', 'beta'))).status).toBe(201);
    ids.alphaTrace = await chat(ALPHA_KEY);
    ids.betaTrace = await chat(BETA_KEY);
    await waitFor('traces stored', 20_000, async () => (await admin('GET', `/analytics/traces/${ids.betaTrace}`)).status === 200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await provider?.stop();
    config?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Through the provider's login and consent pages; resolves on the console again. */
  async function signInAs(p: Page, login: string): Promise<void> {
    await p.goto(`${app.url}/console`);
    await p.click('#signin-sso');
    await p.waitForSelector('input[name=login]');
    await p.fill('input[name=login]', login);
    await p.fill('input[name=password]', 'any password');
    await p.click('button[type=submit]');
    await p.waitForURL((u) => u.pathname.startsWith('/interaction/') || u.pathname === '/console' || u.pathname.startsWith('/auth/oidc/callback'));
    if (new URL(p.url()).pathname.startsWith('/interaction/')) await p.click('button[type=submit]');
  }

  it('offers "Sign in with SSO" and lands on the console as team-admin of alpha', async () => {
    await page.goto(`${app.url}/console`);
    await page.waitForSelector('#signin-sso');
    expect(await page.locator('#signin-sso').innerText()).toBe('Sign in with SSO');
    await signInAs(page, 'alice');
    await page.waitForSelector('#who');
    expect(new URL(page.url()).pathname).toBe('/console');
    expect((await page.locator('#who').innerText()).trim()).toBe('team-admin alpha');
    expect(await page.locator('nav a').allInnerTexts()).toEqual(['Analytics', 'Traces', 'Keys', 'Teams', 'Policies']);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'gatehouse_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.value).not.toContain('alice');
    const session = await fromPage('GET', '/console/session');
    expect(session.body).toMatchObject({ actor: 'oidc:alice@example.test', role: 'team-admin', teams: ['alpha'], via: 'session' });
  });

  it("can manage alpha's keys and read alpha's traces with the session cookie alone", async () => {
    const made = await fromPage('POST', '/admin/keys', { name: 'made-by-alice', team: 'alpha' });
    expect(made.status).toBe(201);
    expect((await fromPage('GET', `/analytics/traces/${ids.alphaTrace}`)).status).toBe(200);
    const keys = (await fromPage('GET', '/admin/keys')).body.data as { team: string }[];
    expect(new Set(keys.map((k) => k.team))).toEqual(new Set(['alpha']));
  });

  it('refuses a change carried by the session cookie from a page of another origin', async () => {
    const cookie = (await page.context().cookies()).find((c) => c.name === 'gatehouse_session')!;
    const send = (origin: string, name: string) =>
      fetch(`${app.url}/admin/keys`, { method: 'POST', headers: { cookie: `gatehouse_session=${cookie.value}`, origin, 'content-type': 'application/json' }, body: JSON.stringify({ name, team: 'alpha' }) });
    const evil = await send('https://evil.example', 'cross-origin-key');
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { message: string } }).error.message).toBe('a console session cannot make changes from another origin (https://evil.example)');
    expect((await send(new URL(app.url).origin, 'same-origin-key')).status).toBe(201);
  });

  it.each(BETA_ROUTES)('gets 403 on %s %s (team beta) with the SSO session', async (method, path, body, permission) => {
    const resolved = path.replace(':betaKey', ids.betaKey).replace(':alphaKey', ids.alphaKey).replace(':betaTrace', ids.betaTrace);
    const r = await fromPage(method, resolved, body);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe(`requires ${permission} on team "beta"`);
  });

  it('recorded the sign-in in the audit log, without any token or secret', async () => {
    const rows = await waitFor('sign-in audit row', 20_000, async () => {
      const r = await admin('GET', '/analytics/audit?from=0&action=auth.sign_in');
      return r.body.data.length > 0 ? (r.body.data as Record<string, unknown>[]) : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'oidc:alice@example.test', role: 'team-admin', target_type: 'session', target_id: 'alice', teams: ['alpha'], source_ip: '127.0.0.1' });
    expect(JSON.stringify(rows)).not.toContain(CLIENT.client_secret);
    // The keys alice made in the console and with a same-origin request; not the refused cross-origin one.
    // Audit rows land in batches (analytics.batch_max_ms): wait for both, then check nothing else came.
    const keyRows = await waitFor('key.create audit rows', 20_000, async () => {
      const r = await admin('GET', '/analytics/audit?from=0&actor=oidc:alice@example.test&action=key.create');
      return r.body.data.length >= 2 ? (r.body.data as { after: { name: string } }[]) : null;
    });
    await new Promise((r) => setTimeout(r, 1_500));
    const again = (await admin('GET', '/analytics/audit?from=0&actor=oidc:alice@example.test&action=key.create')).body.data as unknown[];
    expect(again).toHaveLength(keyRows.length);
    expect(keyRows.map((r) => r.after.name).sort()).toEqual(['made-by-alice', 'same-origin-key']);
  });

  it('signs out: the session cookie is cleared and nothing opens without it', async () => {
    await page.click('#signout');
    await page.waitForSelector('#signin-sso');
    expect((await fromPage('GET', '/console/session')).status).toBe(401);
    expect((await fromPage('GET', '/admin/keys')).status).toBe(401);
  });

  it('refuses a user whose groups map to no role, and a forged session cookie', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await signInAs(other, 'mallory');
    await other.waitForLoadState('networkidle');
    expect(new URL(other.url()).pathname).toBe('/auth/oidc/callback');
    expect(await other.content()).toContain('mallory@example.test has no Gatehouse role');
    expect((await context.cookies()).map((c) => c.name)).not.toContain('gatehouse_session');
    await context.close();
    const forged = await fetch(`${app.url}/admin/keys`, { headers: { cookie: 'gatehouse_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(forged.status).toBe(401);
  });
});
