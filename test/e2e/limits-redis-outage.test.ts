import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { startApp, type AppProcess } from '../support/app-process';
import { ADMIN_TOKEN, writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';
import { burst, chat, startOwnRedis, statuses, waitFor, type RedisServer } from '../support/limits';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';

/** Redis killed under two ingress replicas, one fail_open (default) and one fail_closed; then Redis comes back on the same port. */
const run = randomUUID().slice(0, 8);
const OPEN_KEY = `gh-open-${run}-${randomUUID()}`;
const CLOSED_KEY = `gh-closed-${run}-${randomUUID()}`;

interface Check {
  ok: boolean;
  degraded?: boolean;
  detail: Record<string, unknown>;
}

async function readyz(app: AppProcess): Promise<{ status: number; ms: number; degraded: string[]; limits: Check; jobs: Check }> {
  const t0 = Date.now();
  const r = await fetch(`${app.url}/readyz`);
  const body = (await r.json()) as { degraded: string[]; checks: Record<string, Check> };
  return { status: r.status, ms: Date.now() - t0, degraded: body.degraded, limits: body.checks.limits, jobs: body.checks.jobs };
}

describe('limits while Redis is down, and after it is back', () => {
  let redis: RedisServer;
  let mock: MockUpstream;
  const configs: WrittenConfig[] = [];
  let open: AppProcess;
  let closed: AppProcess;

  beforeAll(async () => {
    [redis, mock] = await Promise.all([startOwnRedis(), startMockUpstream({ record: false })]);
    const keys = [
      { name: `open-${run}`, secret: OPEN_KEY, rpm: 5 },
      { name: `closed-${run}`, secret: CLOSED_KEY, rpm: 5 },
    ];
    const start = (mode: 'fail_open' | 'fail_closed') => {
      const config = writeGatewayConfig({ mockUrl: mock.url, keys, spendLimits: { on_redis_error: mode, redis_timeout_ms: 200 } });
      configs.push(config);
      return startApp('ingress', { env: { GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN, REDIS_URL: redis.url } });
    };
    [open, closed] = await Promise.all([start('fail_open'), start('fail_closed')]);
  });

  afterAll(async () => {
    await Promise.all([open?.stop(), closed?.stop()]);
    await Promise.all([mock?.close(), redis?.stop()]);
    for (const c of configs) c.remove();
  });

  it('enforces the limits while Redis is up', async () => {
    expect(statuses(await burst([open.url], [OPEN_KEY], 7))).toEqual({ 200: 5, 429: 2 });
    expect(statuses(await burst([closed.url], [CLOSED_KEY], 7))).toEqual({ 200: 5, 429: 2 });
  });

  it('Redis killed: fail_open serves without limits and stays ready (limits and jobs degraded); fail_closed answers 503 in the caller format and is not ready', async () => {
    await redis.stop();
    await waitFor('fail_open replica sees Redis gone', 5000, async () => (await readyz(open)).limits.detail.counters === 'unavailable');

    const t0 = Date.now();
    const served = await burst([open.url], [OPEN_KEY], 10);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(statuses(served)).toEqual({ 200: 10 });
    expect(served[0].headers['x-ratelimit-limit-requests']).toBeUndefined();
    // Every check on that Redis (counters, job queue) follows on_redis_error: the replica stays in the load balancer, and says it is degraded.
    const openReady = await readyz(open);
    expect(openReady).toMatchObject({ status: 200, degraded: expect.arrayContaining(['limits', 'jobs']) });
    expect(openReady.limits).toEqual({ ok: true, degraded: true, detail: { counters: 'unavailable', on_redis_error: 'fail_open' } });
    expect(openReady.jobs).toEqual({ ok: true, degraded: true, detail: { queue: 'bullmq', store: 'unavailable', on_redis_error: 'fail_open' } });
    // A probe with the usual 1 s timeout gets its answer: no check waits for the dead Redis.
    expect(openReady.ms).toBeLessThan(1000);
    const metrics = await (await fetch(`${open.url}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_limits_degraded_total\{cause="counters",action="served_without_limits"\} (1\d|[2-9]\d)/);
    const warnings = open.logs().split('\n').filter((l) => l.includes('limits: the counters did not answer'));
    expect(warnings).toHaveLength(1);

    const refused = await chat(closed.url, CLOSED_KEY);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'limits_unavailable', type: 'api_error' });
    const anthropic = new Anthropic({ apiKey: CLOSED_KEY, baseURL: closed.url, maxRetries: 0 });
    const e = await anthropic.messages.create({ model: 'openai-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Anthropic.APIError);
    expect((e as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect((e as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'api_error', code: 'limits_unavailable' } });
    const closedReady = await readyz(closed);
    expect(closedReady).toMatchObject({
      status: 503,
      limits: { ok: false, degraded: true, detail: { counters: 'unavailable', on_redis_error: 'fail_closed' } },
      jobs: { ok: false, degraded: true, detail: { queue: 'bullmq', store: 'unavailable', on_redis_error: 'fail_closed' } },
    });
    expect(closedReady.ms).toBeLessThan(1000);
  });

  it('Redis back on the same address: limits resume on both replicas without a restart', async () => {
    redis = await startOwnRedis(redis.port);
    await waitFor('both replicas reconnected', 10_000, async () => (await readyz(open)).limits.detail.counters === 'connected' && (await readyz(closed)).limits.detail.counters === 'connected');
    const again = await burst([open.url], [OPEN_KEY], 7);
    expect(statuses(again)).toEqual({ 200: 5, 429: 2 });
    expect(again.find((r) => r.status === 200)!.headers['x-ratelimit-limit-requests']).toBe('5');
    expect(statuses(await burst([closed.url], [CLOSED_KEY], 7))).toEqual({ 200: 5, 429: 2 });
    await waitFor('both replicas ready again', 10_000, async () => (await readyz(open)).status === 200 && (await readyz(closed)).status === 200);
    expect((await readyz(open)).degraded).toEqual([]);
  });
});
