import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startApp, type AppProcess } from '../support/app-process';
import { ADMIN_TOKEN, writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';
import { adminGet, burst, chat, passedBeforeBudgetRefusal, sleep, startOwnRedis, statuses, waitFor, type RedisServer } from '../support/limits';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';

/** Standalone without Redis: the primary owns the counters and its workers ask over IPC; budgets survive a restart through chDB. */
const run = randomUUID().slice(0, 8);
const KEYS = { rpm: `gh-rpm-${randomUUID()}`, a: `gh-a-${randomUUID()}`, b: `gh-b-${randomUUID()}`, budget: `gh-budget-${randomUUID()}`, busy: `gh-busy-${randomUUID()}` };
const TEAM = `team-${run}`;
const standaloneEnv = (config: string, dataDir: string, extra: Record<string, string> = {}) => ({
  GATEHOUSE_CONFIG: config,
  GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
  GATEHOUSE_DATA_DIR: dataDir,
  KAFKA_BROKERS: '',
  REDIS_URL: '',
  CLICKHOUSE_URL: '',
  ...extra,
});

describe('standalone limits', () => {
  let mock: MockUpstream;
  let config: WrittenConfig;
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-limits-standalone-'));

  beforeAll(async () => {
    mock = await startMockUpstream({ record: false });
    config = writeGatewayConfig({
      mockUrl: mock.url,
      keys: [
        { name: `rpm-${run}`, secret: KEYS.rpm, rpm: 60 },
        { name: `a-${run}`, secret: KEYS.a, team: TEAM },
        { name: `b-${run}`, secret: KEYS.b, team: TEAM },
        { name: `budget-${run}`, secret: KEYS.budget, budget_usd: 0.01, budget_period: 'total' },
        { name: `busy-${run}`, secret: KEYS.busy, rpm: 100_000, tpm: 10_000_000 },
      ],
      teams: { [TEAM]: { rpm: 20 } },
      models: { 'priced-model': { targets: [{ provider: 'openai', model: 'priced-1' }], retry: { attempts: 0 } } },
      pricing: { 'openai/priced-1': { input_per_mtok: 1, output_per_mtok: 1 } },
    });
  });

  afterAll(async () => {
    await mock?.close();
    config?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('GATEHOUSE_WORKERS=2 without Redis', () => {
    let gw: AppProcess;
    beforeAll(async () => {
      gw = await startApp('standalone', { env: standaloneEnv(config.path, dataDir, { GATEHOUSE_WORKERS: '2' }), readyTimeoutMs: 60_000 });
    });
    afterAll(async () => {
      await gw?.stop();
    });

    it('key rpm 60: of 200 concurrent requests over both workers exactly 60 succeed', async () => {
      const replies = await burst([gw.url], [KEYS.rpm], 200);
      expect(statuses(replies)).toEqual({ 200: 60, 429: 140 });
      const remaining = replies.filter((r) => r.status === 200).map((r) => Number(r.headers['x-ratelimit-remaining-requests']));
      expect(new Set(remaining).size).toBe(60);
      for (const r of replies.filter((x) => x.status === 429)) expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });

    it('a team limit covers all its keys on every worker', async () => {
      expect(statuses(await burst([gw.url], [KEYS.a, KEYS.b], 50))).toEqual({ 200: 20, 429: 30 });
      const usage = await adminGet(gw.url, `/admin/teams/${TEAM}/usage`, ADMIN_TOKEN);
      expect(usage.body).toMatchObject({ team: TEAM, window: { requests: 20, remaining_requests: 0 } });
    });

    it('a busy key is admitted from quota leases the workers take from the primary, each request counted exactly', async () => {
      const total = 800;
      let sent = 0;
      const failed: number[] = [];
      const client = async () => {
        while (sent < total) {
          sent++;
          const reply = await chat(gw.url, KEYS.busy);
          if (reply.status !== 200) failed.push(reply.status);
        }
      };
      await Promise.all(Array.from({ length: 8 }, client));
      expect(failed).toEqual([]);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      const leased = Number(/gatehouse_limits_admissions_total\{via="lease"\} (\d+)/.exec(metrics)?.[1] ?? 0);
      expect(leased).toBeGreaterThan(total / 4);
      // once the leases' seconds are over: exactly the requests made
      await waitFor('busy key counted exactly', 3000, async () => {
        const usage = await adminGet(gw.url, `/admin/keys/cfg_busy-${run}/usage`, ADMIN_TOKEN);
        return (usage.body.window as { requests: number }).requests === total;
      });
    });

    it('a total budget is enforced, and still is after a restart (counters re-seeded from chDB)', async () => {
      mock.setDefault({ usage: { input: 1500, output: 1500 } });
      try {
        const passed = await passedBeforeBudgetRefusal(() => chat(gw.url, KEYS.budget, { model: 'priced-model' }), 7);
        expect([4, 5]).toContain(passed);
        const spent = Math.round(passed * 0.003 * 1e6) / 1e6;
        const rejected = await chat(gw.url, KEYS.budget, { model: 'priced-model' });
        expect((rejected.body.error as { message: string }).message).toContain('total budget: it does not reset');
        expect(rejected.headers['retry-after']).toBeUndefined();
        await waitFor('traces in chDB', 20_000, async () => {
          const r = await adminGet(gw.url, `/internal/spend?key_id=cfg_budget-${run}&from=0`, ADMIN_TOKEN);
          return Number(r.body.spend_usd) >= spent - 1e-9;
        });
        await gw.stop();
        gw = await startApp('standalone', { env: standaloneEnv(config.path, dataDir, { GATEHOUSE_WORKERS: '2' }), readyTimeoutMs: 60_000 });
        const after = await chat(gw.url, KEYS.budget, { model: 'priced-model' });
        expect(after.status).toBe(429);
        expect(after.body.error).toMatchObject({ type: 'budget_exceeded' });
        const usage = await adminGet(gw.url, `/admin/keys/cfg_budget-${run}/usage`, ADMIN_TOKEN);
        expect(usage.body.budget).toMatchObject({ period: 'total', period_end: null, spent_usd: spent, exhausted: true, seeded: true });
      } finally {
        mock.setDefault({});
      }
    });
  });

  it('with REDIS_URL set, standalone workers count in Redis', async () => {
    const redis: RedisServer = await startOwnRedis();
    const dir = mkdtempSync(join(tmpdir(), 'gh-limits-standalone-redis-'));
    const gw = await startApp('standalone', { env: standaloneEnv(config.path, dir, { GATEHOUSE_WORKERS: '2', REDIS_URL: redis.url }), readyTimeoutMs: 60_000 });
    try {
      expect(statuses(await burst([gw.url], [KEYS.rpm], 70))).toEqual({ 200: 60, 429: 10 });
      const client = new Redis(redis.url);
      expect(await client.hget(`gh:win:k:cfg_rpm-${run}`, 'n')).toBe('60');
      client.disconnect();
    } finally {
      await gw.stop();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a day budget starts again at the UTC day boundary (clock shifted with GATEHOUSE_TEST_CLOCK_OFFSET_MS)', async () => {
    const now = Date.now();
    const nextMidnight = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1);
    // 15 s before midnight on the gateway's clock: its start-up and the budget's first requests take a few seconds of it.
    const offset = nextMidnight - now - 15_000;
    const dir = mkdtempSync(join(tmpdir(), 'gh-limits-rollover-'));
    const dayKey = `gh-day-${randomUUID()}`;
    const dayConfig = writeGatewayConfig({
      mockUrl: mock.url,
      keys: [{ name: `day-${run}`, secret: dayKey, budget_usd: 0.005, budget_period: 'day' }],
      models: { 'priced-model': { targets: [{ provider: 'openai', model: 'priced-1' }], retry: { attempts: 0 } } },
      pricing: { 'openai/priced-1': { input_per_mtok: 1, output_per_mtok: 1 } },
    });
    const gw = await startApp('standalone', { env: standaloneEnv(dayConfig.path, dir, { GATEHOUSE_TEST_CLOCK_OFFSET_MS: String(offset) }) });
    mock.setDefault({ usage: { input: 1500, output: 1500 } });
    try {
      const gatewayNow = () => Date.now() + offset;
      expect(gatewayNow()).toBeLessThan(nextMidnight - 3000);
      expect([2, 3]).toContain(await passedBeforeBudgetRefusal(() => chat(gw.url, dayKey, { model: 'priced-model' }), 4));
      const rejected = await chat(gw.url, dayKey, { model: 'priced-model' });
      expect(rejected.status).toBe(429);
      expect((rejected.body.error as { message: string }).message).toContain(new Date(nextMidnight).toISOString());
      expect(Number(rejected.headers['retry-after'])).toBeLessThanOrEqual(15);
      await sleep(Math.max(0, nextMidnight - gatewayNow()) + 200);
      expect((await chat(gw.url, dayKey, { model: 'priced-model' })).status).toBe(200);
      const usage = await adminGet(gw.url, `/admin/keys/cfg_day-${run}/usage`, ADMIN_TOKEN);
      expect(usage.body.budget).toMatchObject({ period_start: new Date(nextMidnight).toISOString(), spent_usd: 0.003 });
    } finally {
      mock.setDefault({});
      await gw.stop();
      dayConfig.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
