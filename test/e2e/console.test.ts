import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { stringify } from 'yaml';
import { repoRoot, startApp, type AppProcess } from '../support/app-process';
import { freePort } from '../support/free-port';
import { sha256 } from '../support/gateway-config';

/**
 * The console in headless Chromium (Debian's `chromium`, driven by playwright-core) against one
 * standalone with seeded traffic. Screenshots of every view at 1400 px and 400 px are written to
 * .cache/test-output/console/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(repoRoot(), '.cache', 'test-output', 'console');
const ADMIN = 'console-admin-token-0123456789';
const PLATFORM_KEY = 'gh-console-platform-key-0001';
const SEARCH_KEY = 'gh-console-search-key-0002';
const POLICY = 'no-codenames';
/** The credential of a provider nobody listens for: it must never show in the console. */
const DOWN_PROVIDER_KEY = 'sk-down-provider-secret-0042';
const DOWN_TARGET = 'down/gpt-4o-mini';

/** What the seed sends: 8 requests of team platform (1 unknown model → 404, 1 embedding), 2 of team search. */
const SEEDED = { total: 10, platform: 8, search: 2, errors: 1 };

function writeConfig(dir: string, closedPort: number): string {
  const file = join(dir, 'gatehouse.yaml');
  const target = (model: string) => ({ targets: [{ provider: 'mock', model }] });
  writeFileSync(
    file,
    stringify({
      providers: { mock: { type: 'mock' }, down: { type: 'openai', base_url: `http://127.0.0.1:${closedPort}/v1`, api_key: DOWN_PROVIDER_KEY } },
      models: {
        'gpt-4o-mini': target('gpt-4o-mini'),
        'claude-sonnet-4-5': target('claude-sonnet-4-5'),
        'text-embedding-3-small': target('text-embedding-3-small'),
        // First a provider that refuses connections, then the mock: requests fail over, and the first target's breaker opens.
        flaky: { targets: [{ provider: 'down', model: 'gpt-4o-mini' }, { provider: 'mock', model: 'gpt-4o-mini' }], retry: { attempts: 0 }, breaker: { failures: 2, cooldown_s: 600 } },
      },
      keys: [
        { name: 'platform-app', key_sha256: sha256(PLATFORM_KEY), team: 'platform', models: ['*'], analytics: true },
        { name: 'search-app', key_sha256: sha256(SEARCH_KEY), team: 'search', models: ['*'], analytics: true },
      ],
      teams: { platform: { budget_usd: 50, budget_period: 'month' } },
      policies: [],
      pricing: {},
      // Every backtest of this small traffic runs as a job, slowly enough to watch its progress and cancel it.
      backtest: { job_threshold_rows: 2, page_rows: 2, rows_per_second: 5 },
    }),
  );
  return file;
}

/** The part of a browser canvas the paint check reads (evaluated in the page; no DOM types in the test build). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}

async function poll<T>(fn: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The tests tell one story in order (a policy edited, then backtested, then signed in as a team admin):
// jest runs a retried test after the file's last test, in a later state, so a retry here only misleads.
jest.retryTimes(0);

describe('console in Chromium against standalone with seeded traffic', () => {
  let app: AppProcess;
  let browser: Browser;
  let page: Page;
  let configDir: string;
  const pageErrors: string[] = [];
  let totals: { requests: number; cost_usd: number; input_tokens: number; output_tokens: number };

  const api = async <T>(path: string, init: RequestInit = {}, token = ADMIN): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${app.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
    return { status: r.status, body: (await r.json().catch(() => null)) as T };
  };
  const chat = (key: string, model: string, content: string, metadata?: Record<string, string>) =>
    new OpenAI({ apiKey: key, baseURL: `${app.url}/v1`, maxRetries: 0 }).chat.completions.create(
      { model, messages: [{ role: 'user', content }] },
      metadata ? { headers: { 'x-gatehouse-metadata': JSON.stringify(metadata) } } : {},
    );
  const textOf = async (selector: string) => (await page.locator(selector).first().innerText()).trim();
  const dataValue = async (selector: string) => Number(await page.locator(selector).first().getAttribute('data-value'));
  const open = async (query: string) => {
    await page.goto(`${app.url}/console?${query}`);
    await page.waitForLoadState('networkidle');
  };
  const shoot = async (name: string) => {
    for (const width of [1400, 400]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
      if (width > 400) continue;
      // Readable at 400 px: nothing on the page scrolls sideways (tables turn into labelled cards).
      // (Polled briefly: charts re-layout after the resize.)
      const overflowing = () => page.locator('html, .scroll').evaluateAll((els) =>
        els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.querySelector('table')?.id || e.tagName.toLowerCase()),
      );
      let sideways = await overflowing();
      for (let tries = 0; sideways.length > 0 && tries < 10; tries++) {
        await page.waitForTimeout(200);
        sideways = await overflowing();
      }
      expect({ view: name, width, sideways }).toEqual({ view: name, width, sideways: [] });
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  };
  /** Waits for `selector`; when it never shows, the error says what the page showed instead (alerts, page errors, text). */
  const appear = async (selector: string) => {
    try {
      await page.locator(selector).first().waitFor({ timeout: 20_000 });
    } catch {
      const alerts = await page.locator('[role=alert]').allInnerTexts();
      const text = (await page.locator('body').innerText().catch(() => '')).slice(0, 600);
      throw new Error(`${selector} not shown at ${page.url()}; alerts: ${JSON.stringify(alerts)}; page errors: ${JSON.stringify(pageErrors)}; page text: ${text}`);
    }
  };
  const until = (what: string, check: () => Promise<boolean>) => poll(async () => ((await check()) ? true : null), 10_000, what);
  const expectNoErrors = () => expect(pageErrors).toEqual([]);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    configDir = mkdtempSync(join(tmpdir(), 'gatehouse-console-'));
    app = await startApp('standalone', { env: { GATEHOUSE_ADMIN_TOKEN: ADMIN, GATEHOUSE_CONFIG: writeConfig(configDir, await freePort()), KAFKA_BROKERS: '', GATEHOUSE_WORKERS: '1' } });
    const created = await api('/admin/policies', {
      method: 'POST',
      body: JSON.stringify({ id: POLICY, description: 'project code names stay inside', mode: 'monitor', checks: [{ type: 'keywords', words: ['bluebird'], action: 'deny' }] }),
    });
    expect(created.status).toBe(201);

    await Promise.all([
      chat(PLATFORM_KEY, 'gpt-4o-mini', 'Summarise the quarterly report', { user: 'alice', feature: 'reports' }),
      chat(PLATFORM_KEY, 'gpt-4o-mini', 'Write a haiku about gateways', { user: 'bob' }),
      chat(PLATFORM_KEY, 'gpt-4o-mini', 'Plan for project bluebird', { user: 'carol' }),
      chat(PLATFORM_KEY, 'claude-sonnet-4-5', 'Explain consistent hashing'),
      chat(PLATFORM_KEY, 'claude-sonnet-4-5', 'Translate hello to French'),
      new OpenAI({ apiKey: PLATFORM_KEY, baseURL: `${app.url}/v1`, maxRetries: 0 }).embeddings.create({ model: 'text-embedding-3-small', input: 'vector me' }),
      chat(PLATFORM_KEY, 'gpt-unknown-model', 'nobody serves this').catch((e: { status?: number }) => expect(e.status).toBe(404)),
      chat(SEARCH_KEY, 'gpt-4o-mini', 'Rank these results'),
      chat(SEARCH_KEY, 'gpt-4o-mini', 'Rewrite the query'),
    ]);
    await chat(PLATFORM_KEY, 'gpt-4o-mini', 'One more for the platform');
    totals = await poll(async () => {
      const r = await api<{ data: { requests: number; cost_usd: number; input_tokens: number; output_tokens: number }[] }>('/analytics/usage?from=0');
      return r.body.data[0]?.requests === SEEDED.total ? r.body.data[0] : null;
    }, 15_000, 'seeded traces in analytics');
    await poll(async () => ((await api<{ data: unknown[] }>('/analytics/guardrails?from=0')).body.data.length > 0 ? true : null), 10_000, 'verdicts');

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('redirects / to the console, serves it with a strict CSP, and signs in with the admin token without putting it in the URL', async () => {
    const root = await fetch(`${app.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console');
    const html = await fetch(`${app.url}/console`);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${app.url}/dashboard`)).status).toBe(200);

    await page.goto(`${app.url}/`);
    await page.fill('#signin-token', 'wrong-token-000000000000');
    await page.click('#signin-submit');
    await expect(textOf('[role=alert]')).resolves.toBe('not an admin token, a service token or a valid key');
    pageErrors.length = 0; // the browser logs the refused sign-in (401) as a console error: expected here
    await page.fill('#signin-token', ADMIN);
    await page.click('#signin-submit');
    await page.waitForSelector('#kpi-requests');
    expect(page.url()).not.toContain(ADMIN);
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('gatehouse.console.token'))).toBe(ADMIN);
    expectNoErrors();
  });

  it('shows the seeded totals as integers and exact costs, in charts that are not empty', async () => {
    await open('view=analytics&range=24h');
    expect(await textOf('#kpi-requests dd')).toBe(String(SEEDED.total));
    expect(await dataValue('#kpi-cost')).toBeCloseTo(totals.cost_usd, 9);
    expect(totals.cost_usd).toBeGreaterThan(0);
    expect(await textOf('#kpi-errors dd')).toBe(`${SEEDED.errors} (10%)`);
    expect(await textOf('#kpi-tokens-in dd')).toBe(totals.input_tokens.toLocaleString('en-US'));
    // Requests chart: its series add up to the seeded requests; the cost chart to the cost.
    expect(Number(await page.locator('#chart-requests').getAttribute('data-total'))).toBe(SEEDED.total);
    expect(Number(await page.locator('#chart-cost').getAttribute('data-total'))).toBeCloseTo(totals.cost_usd, 9);
    expect(Number(await page.locator('#chart-tokens').getAttribute('data-total'))).toBe(totals.input_tokens + totals.output_tokens);
    for (const id of ['chart-cost', 'chart-requests', 'chart-tokens', 'chart-guardrails']) {
      const painted = await page.locator(`#${id} canvas`).evaluate((c: CanvasLike) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let colored = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 200 && d[i + 1] > 200 && d[i + 2] > 200)) colored++;
        return colored;
      });
      expect(painted).toBeGreaterThan(50);
    }
    // Cost legend by model: exact per-model sums, the unknown model is no cost series.
    const legend = await page.locator('#chart-cost .legend li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-label')));
    expect(legend).toEqual(expect.arrayContaining(['gpt-4o-mini', 'claude-sonnet-4-5']));
    expect(legend).not.toContain('gpt-unknown-model');
    // Integer counts; the unknown model is labelled, the 404 counted under its error type.
    expect(await textOf('#table-latency')).toContain('gpt-unknown-model (unknown model)');
    expect(await textOf('#table-errors')).toMatch(/not_found_error\s+1\s+10%/);
    // The monitor-mode policy's verdict shows as "would have blocked".
    expect(await textOf('#table-verdicts')).toContain('1 would have blocked');
    expect(await textOf('#chart-guardrails .legend')).toContain(`${POLICY} · keywords · would have blocked`);
    // The embedding's cost is shown with its significant digits, not as 0.000000.
    expect(await textOf('#table-top-teams')).toContain('platform');
    expectNoErrors();
    await shoot('analytics');
  });

  it('narrows every number to the team chosen in the filter, and keeps the filter in the URL', async () => {
    await open('view=analytics&range=24h');
    await page.fill('input[name=team]', 'search');
    await page.click('.filters button[type=submit]');
    await until('the team filter applied', async () => (await textOf('#kpi-requests dd')) === '2');
    expect(page.url()).toContain('team=search');
    const search = (await api<{ data: { cost_usd: number }[] }>('/analytics/usage?from=0&team=search')).body.data[0];
    expect(await dataValue('#kpi-cost')).toBeCloseTo(search.cost_usd, 9);
    expect(Number(await page.locator('#chart-requests').getAttribute('data-total'))).toBe(SEEDED.search);
    expect(await textOf('#kpi-errors dd')).toBe('0 (0%)');
    expectNoErrors();
  });

  it('finds a trace by metadata and opens it as a readable page, cleared when the filters change', async () => {
    await open('view=traces&range=24h');
    await page.fill('input[name=meta_key]', 'user');
    await page.fill('input[name=meta_value]', 'alice');
    await page.click('.filters button[type=submit]');
    await until('one trace found', async () => (await page.locator('#table-traces tbody tr[data-request-id]').count()) === 1);
    await shoot('traces');
    await page.click('#table-traces tbody tr[data-request-id]');
    await page.waitForSelector('#trace-detail');
    const detail = await textOf('#trace-detail');
    expect(detail).toContain('Summarise the quarterly report');
    expect(detail).toContain('user=alice');
    expect(detail).toMatch(/mock \/ gpt-4o-mini\s+200/);
    await shoot('trace-detail');
    await page.fill('input[name=model]', 'claude-sonnet-4-5');
    await page.click('.filters button[type=submit]');
    await page.waitForSelector('#table-traces');
    expect(await page.locator('#trace-detail').count()).toBe(0);
    expectNoErrors();
  });

  it('creates a key (secret shown once), which works on /v1, then revokes it and /v1 rejects it', async () => {
    await open('view=keys');
    await page.fill('#create-key input[name=name]', 'ui-made-key');
    await page.fill('#create-key input[name=team]', 'qa');
    await page.fill('#create-key input[name=budget_usd]', '5');
    await page.click('#create-key button[type=submit]');
    const secret = (await textOf('#new-key-value')).trim();
    expect(secret).toMatch(/^gh-/);
    await shoot('keys');
    const reply = await chat(secret, 'gpt-4o-mini', 'hello from a console key');
    expect(reply.choices[0].message.content).toContain('hello from a console key');
    const listed = JSON.stringify((await api('/admin/keys')).body);
    expect(listed).toContain('ui-made-key');
    expect(listed).not.toContain(secret);

    await page.click('tr[data-key-name="ui-made-key"] button:text("Edit")');
    await page.fill('#edit-key input[name=rpm]', '30');
    await page.click('#edit-key button[type=submit]');
    await page.locator('tr[data-key-name="ui-made-key"]', { hasText: '30 / —' }).waitFor();
    const keyId = await page.locator('tr[data-key-name="ui-made-key"]').getAttribute('data-key-id');
    expect((await api<{ rpm: number; budget_usd: number }>(`/admin/keys/${keyId}`)).body).toMatchObject({ rpm: 30, budget_usd: 5 });

    page.once('dialog', (d) => void d.accept());
    await page.click('tr[data-key-name="ui-made-key"] button.danger');
    await page.locator('tr[data-key-name="ui-made-key"] td.bad', { hasText: 'revoked' }).waitFor();
    await expect(chat(secret, 'gpt-4o-mini', 'still there?')).rejects.toMatchObject({ status: 401 });
    expectNoErrors();
  });

  it('shows teams with their budget use and traffic, and sets a team\'s limits', async () => {
    await open('view=teams');
    await page.waitForSelector('tr[data-team=platform]');
    expect(await textOf('tr[data-team=platform]')).toMatch(/of \$50\.00 \/ month/);
    expect(await textOf('tr[data-team=search]')).toMatch(/no budget\s+—\s+2\s/);
    await page.click('tr[data-team=search] button');
    await page.fill('#team-form input[name=rpm]', '120');
    await page.fill('#team-form input[name=budget_usd]', '10');
    await page.click('#team-form button[type=submit]');
    await page.locator('tr[data-team=search]', { hasText: 'of $10.00 / month' }).waitFor();
    expect((await api('/admin/teams/search')).body).toMatchObject({ rpm: 120, budget_usd: 10, budget_period: 'month' });
    expectNoErrors();
    await shoot('teams');
  });

  it('edits a policy with inline validation, tests it against a sample, and switches it to enforce', async () => {
    await open('view=policies');
    await appear(`tr[data-policy=${POLICY}]`);
    // The policy answers late, as on a busy host: until it is there the page offers no editor (an
    // empty one would let the text typed into it replace the whole policy).
    const policyUrl = `**/admin/policies/${POLICY}`;
    await page.route(policyUrl, async (route) => {
      if (route.request().method() === 'GET') await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.click(`tr[data-policy=${POLICY}]`);
    await page.waitForSelector('#policy-editor');
    await page.unroute(policyUrl);
    const original = await page.inputValue('#policy-editor');
    expect(original).toContain('"keywords"');
    await page.fill('#policy-editor', original.replace('"keywords"', '"keywordz"'));
    await page.locator('#policy-validation.field-error', { hasText: 'checks' }).waitFor();
    expect(await page.locator('#policy-save').isDisabled()).toBe(true);
    // The guard refused the draft with a 400, which the browser logs as a console error: expected here, nothing else.
    expect(pageErrors.every((e) => /status of 400/.test(e))).toBe(true);
    pageErrors.length = 0;
    await page.fill('#policy-editor', original.replace('"bluebird"', '"bluebird",\n        "redwood"'));
    await until('the edited policy validated', async () => (await textOf('#policy-validation')) === 'Valid.');
    await page.fill('#test-input', 'status of redwood?');
    await page.click('#policy-test button[type=submit]');
    await page.waitForSelector('#policy-test-result');
    expect(await textOf('#test-action')).toBe('none');
    expect(await textOf('#policy-test-result')).toContain('would have: deny');
    await page.click('#policy-save');
    await page.waitForSelector('#policy-saved');
    expect(await textOf('#policy-mode-value')).toBe('monitor');
    await page.click('#mode-enforce');
    await until('the policy switched to enforce', async () => (await textOf('#policy-mode-value')) === 'enforce');
    const stored = (await api<{ version: number; policy: { mode: string; checks: { words: string[] }[] } }>(`/admin/policies/${POLICY}`)).body;
    expect(stored).toMatchObject({ version: 3, policy: { mode: 'enforce', checks: [{ words: ['bluebird', 'redwood'] }] } });
    await page.click('#table-versions tr[data-version="3"] button');
    await appear('#policy-diff[aria-busy=false]');
    expect(await textOf('#policy-diff')).toMatch(/\/mode\s+− "monitor"\s+\+ "enforce"/);
    await shoot('policy');
    await expect(chat(PLATFORM_KEY, 'gpt-4o-mini', 'what about redwood')).rejects.toMatchObject({ status: 400 });
    await open('view=policies');
    await shoot('policies');
    expectNoErrors();
  });

  /** Waits for the console's backtest job to end; answers its final status. */
  const jobEnds = async () => {
    await page.locator('#backtest-job[data-status=completed], #backtest-job[data-status=cancelled], #backtest-job[data-status=failed]').waitFor({ timeout: 30_000 });
    return page.locator('#backtest-job').getAttribute('data-status');
  };
  type Counts = Record<'none' | 'flag' | 'redact' | 'deny', number>;
  interface Backtest { rows: { evaluated: number; skipped_no_bodies: number }; by_action: Counts; by_team: Record<string, Counts>; by_model: Record<string, Counts> }
  const uiCount = async (action: string) => Number((await textOf(`#backtest-summary strong[data-action=${action}]`)).replace(/,/g, ''));

  it('backtests the active version as a job with progress, shows counts that match the API, and links sample requests to their traces', async () => {
    await open(`view=policies&policy=${POLICY}`);
    await appear('#policy-backtest');
    await page.selectOption('#policy-backtest select[name=source]', '3');
    await page.selectOption('#policy-backtest select[name=range]', '24h');
    await page.click('#policy-backtest button[type=submit]');
    // The job's progress is shown while it runs (5 rows per second).
    await page.locator('#backtest-progress').waitFor();
    expect(await textOf('#backtest-progress')).toMatch(/^\d+ of \d+ rows/);
    expect(await jobEnds()).toBe('completed');
    await page.waitForSelector('#policy-backtest-result');

    // The same backtest over the same range through the API gives the numbers the page shows.
    const from = Number(await page.locator('#policy-backtest-result').getAttribute('data-from'));
    const to = Number(await page.locator('#policy-backtest-result').getAttribute('data-to'));
    const started = await api<{ status_url: string }>(`/admin/policies/${POLICY}/backtest`, { method: 'POST', body: JSON.stringify({ from, to, version: 3 }) });
    expect(started.status).toBe(202);
    const expected = await poll(async () => {
      const job = (await api<{ status: string; result: Backtest | null }>(started.body.status_url)).body;
      return job.status === 'completed' ? job.result : null;
    }, 30_000, 'the API backtest');
    for (const action of ['deny', 'redact', 'flag', 'none'] as const) expect(await uiCount(action)).toBe(expected.by_action[action]);
    // "bluebird" (seeded) and "redwood" (asked after the switch to enforce) are denied.
    expect(expected.by_action.deny).toBeGreaterThanOrEqual(2);
    expect(await textOf('#backtest-summary')).toContain(`evaluated ${expected.rows.evaluated.toLocaleString('en-US')} of`);
    expect(await textOf('#backtest-diff')).toContain('Same outcome as the active version 3');
    expect(await textOf('#backtest-by-team tr[data-name=platform]')).toMatch(new RegExp(`platform\\s+${expected.by_team.platform.deny}\\s`));
    expect(Object.keys(expected.by_model).length).toBeGreaterThan(1);
    expect(await page.locator('#backtest-by-model tbody tr[data-name]').count()).toBe(Object.keys(expected.by_model).length);
    await shoot('policy-backtest');

    // A denied sample opens its trace: the request that named a code name.
    await page.click('#backtest-samples p[data-action=deny] a');
    await page.waitForSelector('#trace-detail');
    expect(await textOf('#trace-detail')).toMatch(/bluebird|redwood/);
    expectNoErrors();
  });

  it('backtests an edited draft against the active version: the difference names the request that changes, and a job can be cancelled', async () => {
    await open(`view=policies&policy=${POLICY}`);
    await page.waitForSelector('#policy-editor');
    const active = await page.inputValue('#policy-editor');
    await page.fill('#policy-editor', active.replace('"redwood"', '"redwood",\n        "haiku"'));
    await until('the draft validated', async () => (await textOf('#policy-validation')) === 'Valid.');
    await page.selectOption('#policy-backtest select[name=source]', 'draft');
    await page.selectOption('#policy-backtest select[name=range]', '24h');
    await page.click('#policy-backtest button[type=submit]');
    expect(await jobEnds()).toBe('completed');
    // Exactly one stored request mentions a haiku: it would now be denied where the active version let it pass.
    expect(await textOf('#backtest-diff')).toContain('1 request would end differently than under the active version 3');
    expect(await textOf('#backtest-diff li[data-transition="none->deny"]')).toMatch(/none → deny: 1\b/);
    await shoot('policy-backtest-draft');
    await page.click('#backtest-diff li[data-transition="none->deny"] a');
    await page.waitForSelector('#trace-detail');
    expect(await textOf('#trace-detail')).toContain('Write a haiku about gateways');

    // A second run is cancelled from the page before it finishes.
    await page.goBack();
    await page.waitForSelector('#policy-backtest');
    await page.selectOption('#policy-backtest select[name=range]', '24h');
    await page.click('#policy-backtest button[type=submit]');
    await page.locator('#backtest-cancel').click();
    expect(await jobEnds()).toBe('cancelled');
    expect(await page.locator('#policy-backtest-result').count()).toBe(0);
    expectNoErrors();
  });

  it('shows a target whose breaker opened after failures as open, and explains in the trace why failover took longer', async () => {
    for (const user of ['f1', 'f2', 'f3']) {
      const reply = await chat(PLATFORM_KEY, 'flaky', `failover ${user}`, { user });
      expect(reply.choices[0].message.content).toContain(`failover ${user}`);
    }
    await open('view=targets');
    await page.waitForSelector(`#table-targets tr[data-target="${DOWN_TARGET}"]`);
    const down = page.locator(`#table-targets tr[data-target="${DOWN_TARGET}"]`);
    expect(await down.getAttribute('data-state')).toBe('open');
    expect(await down.innerText()).toMatch(/open\s+failing/);
    expect(await down.innerText()).toMatch(/100%/);
    const states = await page.locator('#table-targets tr[data-target]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-target')}=${tr.getAttribute('data-state')}`));
    // The in-process mock provider has no breaker: only the HTTP target is listed.
    expect(states).toEqual([`${DOWN_TARGET}=open`]);
    expect(await textOf('#targets-summary')).toMatch(/^1 target, 1 not closed/);
    expect(await textOf('#table-targets')).not.toContain(DOWN_PROVIDER_KEY);
    await shoot('targets');

    // The first request failed over: its trace page says where the time went.
    await open('view=traces&range=24h&metadata.user=f1');
    await page.click('#table-traces tbody tr[data-request-id]');
    await page.waitForSelector('#latency-explained');
    const explained = await textOf('#latency-explained');
    expect(explained).toContain(`One attempt failed first (${DOWN_TARGET} no answer`);
    expect(explained).toContain('before mock/gpt-4o-mini answered');
    expect(explained).toMatch(/Total latency \([\d.,]+ (ms|s)\) runs from the request's arrival/);
    await shoot('trace-failover');
    expectNoErrors();
  });

  it('signed in with a team key, shows only that team and no management views', async () => {
    await open('view=analytics');
    await page.click('#signout');
    await page.fill('#signin-token', SEARCH_KEY);
    await page.click('#signin-submit');
    await page.waitForSelector('#kpi-requests');
    expect(await textOf('#kpi-requests dd')).toBe(String(SEEDED.search));
    expect(await page.locator('nav a').allInnerTexts()).toEqual(['Analytics', 'Traces']);
    expect(await textOf('#who')).toBe('viewer search');
    expect(await page.locator('input[name=team]').count()).toBe(0);
    expect(await textOf('#table-top-teams tbody')).not.toContain('platform');
    await open('view=traces');
    await page.waitForSelector('#table-traces');
    const teams = await page.locator('#table-traces tbody tr[data-request-id] td:nth-child(2)').allInnerTexts();
    expect(teams.length).toBe(SEEDED.search);
    for (const t of teams) expect(t).toMatch(/^search/);
    await shoot('team-view');
    expectNoErrors();
  });

  it('signed in as a team admin, edits its team\'s policy without the admin-only backtest', async () => {
    const created = await api('/admin/policies/search-words', { method: 'PUT', body: JSON.stringify({ scope: { teams: ['search'] }, checks: [{ type: 'keywords', words: ['competitor'], action: 'flag' }] }) });
    expect([200, 201]).toContain(created.status);
    const token = await api<{ token: string }>('/admin/tokens', { method: 'POST', body: JSON.stringify({ name: 'search-lead', role: 'team-admin', teams: ['search'] }) });
    expect(token.status).toBe(201);
    await open('view=analytics');
    await page.locator('#signout, #signin-token').first().waitFor();
    if ((await page.locator('#signout').count()) > 0) await page.click('#signout');
    await page.fill('#signin-token', token.body.token);
    await page.click('#signin-submit');
    await page.waitForSelector('#kpi-requests');
    expect(await textOf('#who')).toBe('team-admin search');
    await open('view=policies');
    await page.click('tr[data-policy=search-words]');
    await page.waitForSelector('#policy-editor');
    await page.waitForSelector('#table-versions');
    expect(await page.locator('#policy-backtest').count()).toBe(0);
    await shoot('team-admin-policy');
    expectNoErrors();
  });
});
