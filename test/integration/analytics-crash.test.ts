import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AuditTopic, TracesTopic, type Trace, VerdictsTopic } from '@gatehouse/contracts';
import { createKafkaBus, type KafkaBus } from '@gatehouse/bus';
import { ANALYTICS_GROUP } from '../../apps/analytics/src/ingest/ingest.service';
import { startApp, type AppProcess } from '../support/app-process';
import { startGroupsAtEnd } from '../support/kafka-groups';

const ADMIN = `admin-${randomUUID()}`;
const TOTAL = 20_000;
/** Until when the test waits for its traces to be stored. */
const TEST_BUDGET_MS = 200_000;
/**
 * Jest's timeout for the test: above the worst case of the test's own waits (the budget, or three
 * starts of 60 s each and the last polls of 15 s each), so that a slow run ends by itself, with its
 * phase log, instead of being abandoned by jest while its code still runs beside the retry.
 */
const JEST_TIMEOUT_MS = TEST_BUDGET_MS + 60_000;

function trace(team: string, i: number): Trace {
  const ts = Date.now() - 120_000;
  return {
    request_id: `${team}-${i}`, trace_id: 'c'.repeat(32), span_id: 'd'.repeat(16), parent_span_id: null, ts_start: ts, ts_end: ts + 50,
    latency_ms: 50, ttft_ms: null, status: 200, error_type: null, client_format: 'openai', endpoint: 'chat', model_requested: 'gpt-4o-mini',
    provider: 'mock', model_upstream: 'mock-1', attempts: 1, attempt_details: [], key_id: 'k', key_name: 'k', team, metadata: {},
    input_tokens: i % 100, output_tokens: 1, cached_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost_usd: 0, cost: null,
    pricing_unknown: false, cache_hit: false, cache_status: 'BYPASS', cost_saved_usd: 0, stream: false, guardrails: { action: 'none', policies: [], flagged: 0, redacted: 0, denied: 0 },
    request_body: null, response_body: null,
  };
}

describe('analytics app process killed twice while ingesting', () => {
  let bus: KafkaBus;
  // Each attempt (jest retries a failed test once) gets its own data directory, database and team, and
  // afterEach stops its process: a retry must not find the chDB directory still locked by the attempt before it.
  let app: AppProcess | undefined;
  let dataDir: string | undefined;
  let phases: string[] = [];
  let t0 = Date.now();
  const phase = (what: string) => phases.push(`${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);

  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');

  beforeAll(async () => {
    bus = await createKafkaBus({ brokers, clientId: 'analytics-crash-it', logger: pino({ level: 'silent' }) });
    await bus.ensureTopics();
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await bus?.close();
  });

  it('stores every one of 20,000 traces exactly once after two SIGKILLs', async () => {
    t0 = Date.now();
    phases = [];
    const attempt = randomUUID().slice(0, 8);
    const team = `crash-${attempt}`;
    dataDir = mkdtempSync(join(tmpdir(), 'gh-analytics-crash-'));
    const env = { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_TOKEN: ADMIN, CLICKHOUSE_DATABASE: `gh_crash_${attempt}`, CLICKHOUSE_URL: '' };
    const usage = async () => {
      const res = await fetch(`${app!.url}/analytics/usage?team=${team}`, { headers: { authorization: `Bearer ${ADMIN}` }, signal: AbortSignal.timeout(15_000) });
      return ((await res.json()) as { data: { requests: number; input_tokens: number }[] }).data[0] ?? { requests: 0, input_tokens: 0 };
    };
    const explain = (why: string) => `${why}\n--- phases ---\n${phases.join('\n')}\n--- analytics log tail ---\n${app?.logs().slice(-3000) ?? '(no process)'}`;

    try {
      // The analytics group starts past the traces of earlier test files on this broker: only this test's are ingested.
      await startGroupsAtEnd(brokers, ANALYTICS_GROUP, [TracesTopic, VerdictsTopic, AuditTopic]);
      phase('analytics group at the end of its topics');
      app = await startApp('analytics', { env, readyTimeoutMs: 60_000 });
      phase('analytics ready');
      const kills = new Set([6_000, 13_000]);
      for (let i = 0; i < TOTAL; i += 1000) {
        for (let j = i; j < i + 1000; j++) bus.publish(TracesTopic, `${team}-${j}`, trace(team, j));
        await bus.flush();
        phase(`${i + 1000} traces acknowledged by Kafka`);
        if (kills.has(i + 1000)) {
          await new Promise((r) => setTimeout(r, 300));
          const stored = await usage().catch(() => undefined);
          phase(`SIGKILL with ${stored?.requests ?? '?'} stored`);
          expect(await app.kill('SIGKILL')).toBeNull();
          app = await startApp('analytics', { env, readyTimeoutMs: 60_000 });
          phase('analytics ready again');
        }
      }
      const until = t0 + TEST_BUDGET_MS - 5_000;
      let last = await usage();
      let reported = -1;
      while (last.requests < TOTAL && Date.now() < until) {
        if (last.requests !== reported) phase(`${(reported = last.requests)} stored`);
        await new Promise((r) => setTimeout(r, 500));
        last = await usage();
      }
      if (last.requests < TOTAL) throw new Error(`only ${last.requests} of ${TOTAL} traces stored`);
      await new Promise((r) => setTimeout(r, 2000));
      last = await usage();
      expect(last.requests).toBe(TOTAL);
      expect(last.input_tokens).toBe((TOTAL / 100) * ((99 * 100) / 2));
    } catch (e) {
      throw new Error(explain((e as Error).message));
    }
  }, JEST_TIMEOUT_MS);
});
