import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bus } from '@gatehouse/bus';
import { type PolicyEvent, type Verdict, AsyncCheckJobSchema, GuardrailAsyncCheckJob } from '@gatehouse/contracts';
import { type DeferredCheck, asyncCheckJob } from '@gatehouse/guardrails';
import { InProcessJobQueue } from '@gatehouse/jobs';
import { createLogger } from '@gatehouse/observability';
import type { PolicyRegistry } from '../policies/policy-registry.service';
import { AsyncCheckWorker } from './async-check.worker';

interface Hook {
  url: string;
  received: Array<{ headers: IncomingHttpHeaders; body: Record<string, unknown> }>;
  server: Server;
}

async function webhook(answer: unknown): Promise<Hook> {
  const received: Hook['received'] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/check`, received, server };
}

function policyWith(url: string, headers: Record<string, string>): PolicyEvent {
  return {
    id: 'moderation',
    version: 2,
    created_at: 0,
    policy: {
      id: 'moderation',
      mode: 'enforce',
      on_error: 'deny',
      scope: { teams: ['*'], keys: ['*'], models: ['*'] },
      checks: [{ type: 'webhook', stage: 'input', action: 'deny', url, timeout_ms: 2000, async: true, headers }],
    },
  };
}

function deferred(url: string): DeferredCheck {
  return {
    requestId: 'req-1',
    policyId: 'moderation',
    policyVersion: 2,
    checkIndex: 0,
    mode: 'enforce',
    stage: 'input',
    config: { type: 'webhook', stage: 'input', action: 'deny', url, timeout_ms: 2000, async: true, headers: { authorization: 'Bearer hook-secret' } },
    payload: { stage: 'input', text: 'some prompt', model: 'gpt-4o-mini', team: 'a-team', key_id: 'k1' },
  };
}

describe('AsyncCheckWorker', () => {
  const logger = createLogger('silent');
  let queue: InProcessJobQueue;
  let hook: Hook;
  const published: Verdict[] = [];
  const bus = { publish: (_t: unknown, _k: string, v: Verdict) => void published.push(v) } as unknown as Bus;

  afterEach(async () => {
    published.length = 0;
    await queue?.close();
    await new Promise((r) => hook?.server.close(r));
  });

  function start(policy: PolicyEvent | undefined): void {
    queue = new InProcessJobQueue({ logger });
    const registry = { get: (id: string) => (policy && policy.id === id ? policy : undefined) } as unknown as PolicyRegistry;
    new AsyncCheckWorker(queue, bus, registry).onApplicationBootstrap();
  }

  async function verdicts(n: number): Promise<Verdict[]> {
    const end = Date.now() + 3000;
    while (published.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return published;
  }

  it('publishes a flag verdict (async=true, policy version kept) when the webhook fails the text', async () => {
    hook = await webhook({ pass: false, score: 0.9, reason: 'toxic' });
    start(policyWith(hook.url, { authorization: 'Bearer hook-secret' }));
    await queue.enqueue(GuardrailAsyncCheckJob, asyncCheckJob(deferred(hook.url)));
    const [v] = await verdicts(1);
    expect(v).toMatchObject({
      request_id: 'req-1', policy_id: 'moderation', policy_version: 2, check_type: 'webhook', stage: 'input',
      action: 'flag', outcome: 'fail', applied: true, async: true, score: 0.9, team: 'a-team', key_id: 'k1',
    });
    expect(hook.received[0].body).toMatchObject({ text: 'some prompt', model: 'gpt-4o-mini' });
  });

  it('sends the webhook headers from the policy it holds, which the queued job never carried', async () => {
    hook = await webhook({ pass: false });
    start(policyWith(hook.url, { authorization: 'Bearer hook-secret' }));
    const job = asyncCheckJob(deferred(hook.url));
    expect(JSON.stringify(job)).not.toContain('hook-secret');
    await queue.enqueue(GuardrailAsyncCheckJob, job);
    await verdicts(1);
    expect(hook.received[0].headers.authorization).toBe('Bearer hook-secret');
  });

  it('publishes nothing when the webhook passes the text', async () => {
    hook = await webhook({ pass: true });
    start(policyWith(hook.url, {}));
    await queue.enqueue(GuardrailAsyncCheckJob, asyncCheckJob(deferred(hook.url)));
    const end = Date.now() + 2000;
    while (hook.received.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    expect(hook.received).toHaveLength(1);
    expect(published).toHaveLength(0);
  });

  it('records an unreachable webhook as an error verdict, not applied', async () => {
    hook = await webhook({ pass: true });
    const url = hook.url;
    await new Promise((r) => hook.server.close(r));
    start(policyWith(url, {}));
    await queue.enqueue(GuardrailAsyncCheckJob, asyncCheckJob(deferred(url)));
    const [v] = await verdicts(1);
    expect(v).toMatchObject({ outcome: 'error', applied: false, async: true, action: 'flag' });
  });

  it('the job schema refuses a job without a request id', () => {
    expect(AsyncCheckJobSchema.safeParse({ ...asyncCheckJob(deferred('http://127.0.0.1:1/x')), request_id: '' }).success).toBe(false);
  });
});
