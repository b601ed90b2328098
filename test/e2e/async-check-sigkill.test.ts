import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createKafkaBus, type KafkaBus } from '@gatehouse/bus';
import { VerdictsTopic, type Verdict } from '@gatehouse/contracts';
import { startApp, type AppProcess } from '../support/app-process';
import { writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';

/**
 * Async guardrail check jobs survive a SIGKILLed guard (real Kafka and Redis, BullMQ): checks whose
 * webhook is still thinking when the guard dies run again on the restarted guard once their claim
 * lapsed (10 s, checked as often), and each request gets exactly one async verdict.
 */

const ADMIN = 'test-admin-token-async-sigkill-0123';
const RUN = randomUUID().slice(0, 8);
const TEAM = `async-kill-${RUN}`;
const KEY = `gh-async-kill-${RUN}-0123456789`;
const POLICY = `async-kill-${RUN}`;
const REQUESTS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('async check jobs across a guard SIGKILL (Kafka, Redis)', () => {
  let mock: MockUpstream;
  let config: WrittenConfig;
  let guard: AppProcess;
  let ingress: AppProcess;
  let bus: KafkaBus;
  const env = () => ({ GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN });
  // The webhook holds its first calls (the guard dies while they wait), then answers "fail" at once.
  const hook = { calls: [] as string[], holding: true, held: [] as ServerResponse[] };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hook.calls.push(body);
      if (hook.holding) hook.held.push(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"pass": false, "score": 0.9}');
    });
  });

  beforeAll(async () => {
    mock = await startMockUpstream();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    config = writeGatewayConfig({ mockUrl: mock.url, keys: [{ name: `async-kill-${RUN}`, secret: KEY, team: TEAM }] });
    [guard, ingress] = await Promise.all([startApp('guard', { env: env() }), startApp('ingress', { env: env() })]);
    bus = await createKafkaBus({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: `async-kill-${RUN}`, logger: pino({ level: 'silent' }) });
  });

  afterAll(async () => {
    for (const res of hook.held) res.destroy();
    await Promise.all([guard?.stop(), ingress?.stop()]);
    await bus?.close();
    await mock?.close();
    await new Promise((resolve) => server.close(resolve));
    config?.remove();
  });

  it('checks in flight when the guard is killed run again after its restart: one verdict per request, none lost', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/moderate`;
    const put = await fetch(`${guard.url}/admin/policies/${POLICY}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: { teams: [TEAM] }, checks: [{ type: 'webhook', url, timeout_ms: 30_000, async: true }] }),
    });
    expect(put.status).toBe(200);

    const verdicts: Verdict[] = [];
    const sub = await bus.subscribe(VerdictsTopic, { group: `async-kill-watch-${RUN}`, fromBeginning: true }, async (batch) => {
      for (const m of batch) if (m.value?.policy_id === POLICY) verdicts.push(m.value);
    });

    // The ingress applies the policy once it has it from the topic; each request enqueues one async check.
    const requestIds: string[] = [];
    const until = Date.now() + 15_000;
    while (requestIds.length < REQUESTS && Date.now() < until) {
      const before = hook.calls.length;
      const r = await fetch(`${ingress.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'openai-model', messages: [{ role: 'user', content: `moderate me ${requestIds.length}` }] }),
      });
      expect(r.status).toBe(200);
      const id = r.headers.get('x-gatehouse-request-id')!;
      const called = Date.now() + 3000;
      while (hook.calls.length === before && Date.now() < called) await sleep(50);
      if (hook.calls.length > before) requestIds.push(id);
    }
    expect(requestIds).toHaveLength(REQUESTS);

    // Every check is waiting on the webhook: the guard dies, the webhook now answers at once.
    await guard.kill('SIGKILL');
    for (const res of hook.held.splice(0)) res.destroy();
    hook.holding = false;
    const callsBefore = hook.calls.length;
    guard = await startApp('guard', { env: env() });

    const deadline = Date.now() + 90_000;
    while (new Set(verdicts.map((v) => v.request_id)).size < REQUESTS && Date.now() < deadline) await sleep(250);
    await sleep(3000);
    await sub.close();
    expect(verdicts.map((v) => v.request_id).sort()).toEqual([...requestIds].sort());
    expect(verdicts.every((v) => v.async && v.action === 'flag' && v.outcome === 'fail')).toBe(true);
    // Each check ran once more on the restarted guard.
    expect(hook.calls.length - callsBefore).toBe(REQUESTS);
  });
});
