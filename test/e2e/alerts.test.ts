import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createKafkaBus, type KafkaBus } from '@gatehouse/bus';
import { VerdictsTopic } from '@gatehouse/contracts';
import { startApp, type AppProcess } from '../support/app-process';
import { denyVerdict as deny, receiveAlerts as receive, type AlertReceiver as Receiver } from '../support/alerts';
import { freePort } from '../support/free-port';
import { writeGatewayConfig, type WrittenConfig } from '../support/gateway-config';

/**
 * Alerts end to end on a guard process (real Kafka and Redis: BullMQ delivery jobs): deny verdicts
 * published on gatehouse.verdicts.v1 become alerts delivered to the policies' targets, retried with
 * backoff while a receiver is down, listed as failed when it never answers, and redelivered on demand.
 */

const ADMIN = 'test-admin-token-alerts-0123456789';
const RUN = randomUUID().slice(0, 8);
const BACK = `alert-back-${RUN}`;
const NEVER = `alert-never-${RUN}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('alert delivery (guard, Kafka, Redis)', () => {
  let config: WrittenConfig;
  let guard: AppProcess;
  let bus: KafkaBus;
  const receivers: Receiver[] = [];
  const api = async (path: string, method = 'GET', body?: unknown) => {
    const r = await fetch(`${guard.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: r.status, body: (await r.json()) as any };
  };

  afterAll(async () => {
    await guard?.stop();
    await bus?.close();
    await Promise.all(receivers.map((r) => r.close()));
    config?.remove();
  });

  it('a receiver down for 10 s gets the alert once it is back; one that never answers is listed as failed, and redelivery reaches it', async () => {
    const [backPort, neverPort] = [await freePort(), await freePort()];
    config = writeGatewayConfig({ mockUrl: 'http://127.0.0.1:9', keys: [], sections: { alerts: { attempts: 5, backoff_ms: 700, timeout_ms: 1000, deny_interval_s: 60 } } });
    guard = await startApp('guard', { env: { GATEHOUSE_CONFIG: config.path, GATEHOUSE_ADMIN_TOKEN: ADMIN } });
    const regex = [{ type: 'regex', pattern: 'x+', action: 'deny' }];
    expect((await api(`/admin/policies/${BACK}`, 'PUT', { checks: regex, alerts: [{ type: 'webhook', url: `http://127.0.0.1:${backPort}/hook` }] })).status).toBe(200);
    expect((await api(`/admin/policies/${NEVER}`, 'PUT', { checks: regex, alerts: [{ type: 'slack', url: `http://127.0.0.1:${neverPort}/services/T0/B0/secret-part` }] })).status).toBe(200);

    bus = await createKafkaBus({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: `alerts-it-${RUN}`, logger: pino({ level: 'silent' }) });
    await sleep(1000);
    const t0 = Date.now();
    for (const v of [deny(BACK, 1), deny(BACK, 2), deny(NEVER, 1)]) bus.publish(VerdictsTopic, v.request_id, v);
    await bus.flush();

    await sleep(Math.max(0, t0 + 10_000 - Date.now()));
    const back = await receive(backPort);
    receivers.push(back);
    const until = Date.now() + 20_000;
    while (back.bodies.length === 0 && Date.now() < until) await sleep(100);
    expect(back.bodies).toHaveLength(1);
    // The two denies of BACK are keyed by request id (two partitions): whichever is read first is alerted, the other folded.
    expect(back.bodies[0]).toMatchObject({ kind: 'guardrail_deny', policy_id: BACK, policy_version: 1, request_id: expect.stringMatching(new RegExp(`^${BACK}-req-[12]$`)), checks: ['regex'], team: 'qa', denies_since_last: 0 });
    expect(typeof back.bodies[0]!.delivery_id).toBe('string');

    let failed: any[] = [];
    const failedUntil = Date.now() + 20_000;
    while (!failed.some((f) => f.alert.policy_id === NEVER) && Date.now() < failedUntil) {
      failed = (await api('/admin/alerts/failed')).body.data;
      await sleep(200);
    }
    const entry = failed.find((f) => f.alert.policy_id === NEVER);
    expect(entry).toMatchObject({ target: { type: 'slack', url: `http://127.0.0.1:${neverPort}/***` }, attempts: 5, last_error: expect.stringContaining('request failed') });
    expect(JSON.stringify(failed)).not.toContain('secret-part');

    const never = await receive(neverPort);
    receivers.push(never);
    const retry = await api(`/admin/alerts/${entry.id}/retry`, 'POST');
    expect(retry.status).toBe(202);
    const retryUntil = Date.now() + 10_000;
    while (never.bodies.length === 0 && Date.now() < retryUntil) await sleep(100);
    expect(never.bodies).toEqual([{ text: expect.stringContaining(`policy ${NEVER} (version 1) denied request ${NEVER}-req-1`) }]);
    expect((await api('/admin/alerts/failed')).body.data.some((f: { id: string }) => f.id === entry.id)).toBe(false);
    expect((await api('/admin/alerts/nope/retry', 'POST')).status).toBe(404);
    // The second deny of BACK within deny_interval_s was folded, not delivered.
    expect(back.bodies).toHaveLength(1);
  });
});
