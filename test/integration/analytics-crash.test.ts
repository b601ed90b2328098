import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { TracesTopic, type Trace } from '@gatehouse/contracts';
import { createKafkaBus, type KafkaBus } from '@gatehouse/bus';
import { startApp, type AppProcess } from '../support/app-process';

const ADMIN = `admin-${randomUUID()}`;
const TOTAL = 20_000;
const team = `crash-${randomUUID().slice(0, 8)}`;

function trace(i: number): Trace {
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
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-analytics-crash-'));
  const env = { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_TOKEN: ADMIN, CLICKHOUSE_DATABASE: 'gh_crash', CLICKHOUSE_URL: '' };
  let bus: KafkaBus;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    bus = await createKafkaBus({ brokers: (process.env.KAFKA_BROKERS ?? '').split(','), clientId: 'analytics-crash-it', logger: pino({ level: 'silent' }) });
    await bus.ensureTopics();
  });

  afterAll(async () => {
    await app?.stop();
    await bus?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every one of 20,000 traces exactly once after two SIGKILLs', async () => {
    app = await startApp('analytics', { env });
    const kills = new Map([[6_000, true], [13_000, true]]);
    for (let i = 0; i < TOTAL; i += 1000) {
      for (let j = i; j < i + 1000; j++) bus.publish(TracesTopic, `${team}-${j}`, trace(j));
      await bus.flush();
      if (kills.has(i + 1000)) {
        await new Promise((r) => setTimeout(r, 300));
        expect(await app.kill('SIGKILL')).toBeNull();
        app = await startApp('analytics', { env, readyTimeoutMs: 60_000 });
      }
    }
    const usage = async () => {
      const res = await fetch(`${app!.url}/analytics/usage?team=${team}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      return ((await res.json()) as { data: { requests: number; input_tokens: number }[] }).data[0];
    };
    const until = Date.now() + 120_000;
    let last = await usage();
    while (last.requests < TOTAL && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      last = await usage();
    }
    await new Promise((r) => setTimeout(r, 2000));
    last = await usage();
    expect(last.requests).toBe(TOTAL);
    expect(last.input_tokens).toBe((TOTAL / 100) * ((99 * 100) / 2));
  });
});
