import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { startApp, type AppProcess } from '../support/app-process';
import { receiveAlerts as receive, type AlertReceiver as Receiver } from '../support/alerts';
import { freePort } from '../support/free-port';
import { UPSTREAM_KEYS, writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';

/**
 * Circuit-breaker alerts end to end (real Kafka and Redis): two ingress replicas each trip their own
 * breaker on a failing upstream; the guard delivers one `breaker_open` alert for the outage, and
 * one `breaker_closed` once the upstream recovered and the replicas' probes closed their breakers.
 * The payload names the target, never the provider's key nor the upstream's error text.
 */

const ADMIN = 'test-admin-token-breaker-alerts-0123';
const RUN = randomUUID().slice(0, 8);
const KEY = `gh-breaker-alerts-${RUN}`;
/** An upstream model name of this run only: other tests' breaker alerts on the shared topic are told apart by it. */
const UPSTREAM_MODEL = `brk-${RUN}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('breaker alerts (two ingress replicas, guard, Kafka, Redis)', () => {
  let mock: MockUpstream;
  let config: WrittenConfig;
  let guard: AppProcess;
  let ingresses: AppProcess[] = [];
  let breakers: Receiver;
  let budgetsOnly: Receiver;

  const ours = (r: Receiver) => r.bodies.filter((b) => b.model === UPSTREAM_MODEL);
  const ask = (ingress: AppProcess) =>
    new OpenAI({ apiKey: KEY, baseURL: `${ingress.url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'flappy', messages: [{ role: 'user', content: 'hello' }] });
  const breakerState = async (ingress: AppProcess) => {
    const r = await fetch(`${ingress.url}/admin/targets`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const body = (await r.json()) as { data: Array<{ target: string; state: string }> };
    return body.data.find((t) => t.target === `openai/${UPSTREAM_MODEL}`)?.state ?? null;
  };
  const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 20_000) => {
    const until = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
      await sleep(100);
    }
  };

  beforeAll(async () => {
    mock = await startMockUpstream();
    breakers = await receive(await freePort());
    budgetsOnly = await receive(await freePort());
    config = writeGatewayConfig({
      mockUrl: mock.url,
      keys: [{ name: 'breaker-alerts', secret: KEY, team: 'ops' }],
      models: {
        flappy: { targets: [{ provider: 'openai', model: UPSTREAM_MODEL }], retry: { attempts: 0 }, breaker: { failures: 3, cooldown_s: 2, half_open_probes: 1 } },
      },
      sections: {
        alerts: {
          attempts: 3,
          backoff_ms: 300,
          timeout_ms: 2000,
          targets: [
            { type: 'webhook', url: `http://127.0.0.1:${(breakers.server.address() as { port: number }).port}/breakers`, kinds: ['breaker_open', 'breaker_closed'] },
            { type: 'webhook', url: `http://127.0.0.1:${(budgetsOnly.server.address() as { port: number }).port}/budgets`, kinds: ['budget_threshold'] },
          ],
        },
      },
    });
    const env = { GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN };
    [guard, ...ingresses] = await Promise.all([startApp('guard', { env }), startApp('ingress', { env }), startApp('ingress', { env })]);
  });

  afterAll(async () => {
    await Promise.all([guard?.stop(), ...ingresses.map((i) => i.stop())]);
    await mock?.close();
    await Promise.all([breakers?.close(), budgetsOnly?.close()]);
    config?.remove();
  });

  it('one breaker_open per outage however many replicas tripped, one breaker_closed after recovery, no secret in the payload', async () => {
    // The upstream fails, and its error text carries the provider key (as a careless proxy might echo it).
    mock.setDefault({ status: 503, error_message: `overloaded (key ${UPSTREAM_KEYS.openai})` });
    for (const ingress of ingresses) {
      for (let i = 0; i < 4; i++) await expect(ask(ingress)).rejects.toMatchObject({ status: expect.any(Number) });
      expect(await breakerState(ingress)).toBe('open');
    }
    await waitFor('the breaker_open alert', () => ours(breakers).length >= 1);
    // Both replicas opened their breaker; the receiver is told once (give a second alert time to show up).
    await sleep(3000);
    expect(ours(breakers).map((b) => b.kind)).toEqual(['breaker_open']);
    expect(ours(breakers)[0]).toMatchObject({ kind: 'breaker_open', provider: 'openai', model: UPSTREAM_MODEL, reason: '3 consecutive failures', team: null, key_id: null });
    expect(ours(breakers)[0].replica).toMatch(/:\d+$/);

    // The upstream recovers; after the cooldown each replica's probe succeeds and closes its breaker.
    mock.setDefault({});
    await sleep(2100);
    for (const ingress of ingresses) {
      expect((await ask(ingress)).choices[0].message.content).toBeTruthy();
      expect(await breakerState(ingress)).toBe('closed');
    }
    await waitFor('the breaker_closed alert', () => ours(breakers).length >= 2);
    await sleep(3000);
    expect(ours(breakers).map((b) => b.kind)).toEqual(['breaker_open', 'breaker_closed']);
    expect(ours(breakers)[1]).toMatchObject({ provider: 'openai', model: UPSTREAM_MODEL, reason: 'probe succeeded' });

    for (const text of breakers.raw) {
      expect(text).not.toContain(UPSTREAM_KEYS.openai);
      expect(text).not.toContain('overloaded');
    }
    // A target that asked for budget alerts only gets no breaker alert.
    expect(budgetsOnly.bodies.filter((b) => String(b.kind).startsWith('breaker'))).toEqual([]);
  });
});
