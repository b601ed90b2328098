import { randomUUID } from 'node:crypto';
import { startApp, type AppProcess } from '../support/app-process';
import { ADMIN_TOKEN, mockModels, mockProviders, writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';
import { adminPut, chat, waitFor } from '../support/limits';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';

/**
 * A tpm limit estimates each request's tokens with gpt-tokenizer, whose tables take ~150–250 ms to
 * load. No request may wait for them: an ingress loads them before it listens when its config has a
 * tpm limit, and right after a team or key is given one through the admin API (here: PUT /admin/teams).
 * The ingress says so at info level, which is how these tests see it. The second test runs the
 * standalone app on its own in-process bus, so no other test's tpm-limited key is in its views.
 */
const LOADED = 'gpt-tokenizer tables loaded for tpm estimates';
const run = randomUUID().slice(0, 8);
const RPM_KEY = `gh-rpm-${run}-${randomUUID()}`;
const TPM_KEY = `gh-tpm-${run}-${randomUUID()}`;

describe('the tokenizer of tpm limits is loaded before a request needs it', () => {
  let mock: MockUpstream;
  const configs: WrittenConfig[] = [];
  const apps: AppProcess[] = [];

  const start = async (app: 'ingress' | 'standalone', keys: Array<Record<string, unknown>>, env: Record<string, string> = {}) => {
    // only the openai provider: the built-in mock provider of the usual test config loads the tables at start for itself
    const sections = { providers: { openai: mockProviders(mock.url).openai }, models: { 'openai-model': mockModels()['openai-model'] } };
    const config = writeGatewayConfig({ mockUrl: mock.url, keys: keys as never, sections });
    configs.push(config);
    const started = await startApp(app, { env: { GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info', ...env } });
    apps.push(started);
    return started;
  };

  beforeAll(async () => {
    mock = await startMockUpstream({ record: false });
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await mock?.close();
    for (const c of configs) c.remove();
  });

  it('a configured tpm limit: loaded at start-up, before the first request', async () => {
    const app = await start('ingress', [{ name: `tpm-${run}`, secret: TPM_KEY, team: `tpm-team-${run}`, tpm: 100_000 }]);
    expect(app.logs()).toContain(LOADED);
    const first = await chat(app.url, TPM_KEY);
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit-tokens']).toBe('100000');
    expect(app.logs().split(LOADED)).toHaveLength(2);
  });

  it('no tpm limit: not loaded, not even by requests; a team given a tpm limit through the admin API: loaded at once, without a request', async () => {
    const team = `later-${run}`;
    const app = await start('standalone', [{ name: `rpm-${run}`, secret: RPM_KEY, team, rpm: 1000 }], { KAFKA_BROKERS: '', REDIS_URL: '' });
    expect((await chat(app.url, RPM_KEY)).status).toBe(200);
    expect(app.logs()).not.toContain(LOADED);
    const put = await adminPut(app.url, `/admin/teams/${team}`, ADMIN_TOKEN, { tpm: 50_000 });
    expect(put.status).toBe(200);
    await waitFor('the tokenizer loaded after the team update', 10_000, async () => app.logs().includes(LOADED));
    const limited = await chat(app.url, RPM_KEY);
    expect(limited.status).toBe(200);
    expect(limited.headers['x-ratelimit-limit-tokens']).toBe('50000');
  });
});
