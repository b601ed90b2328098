import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { startApp } from '../test/support/app-process';
import { memoryMb } from './support/proc-stats';
import { kafkaBrokers, redisUrl } from './support/processes';
import type { SchedEpisode } from './support/sched-sampler';

/**
 * `npm run soak` (long profile; not part of `npm test`): the ingress (one process) with analytics
 * in another (chDB) over a Kafka broker (KAFKA_BROKERS, else a throwaway one), under a fixed request rate for GATEHOUSE_SOAK_MINUTES (default 30) at
 * GATEHOUSE_SOAK_RPS (default 1000), one request in GATEHOUSE_SOAK_STREAM_EVERY (default 5) a
 * stream read to its end (the load generator runs in this process, on the same machine, at nice
 * GATEHOUSE_SOAK_LOADGEN_NICE, default 10, so that it does not preempt the gateway; Kafka runs at
 * normal priority, analytics at GATEHOUSE_SOAK_ANALYTICS_NICE, default 0). Every 5 s: the ingress's RSS, its event-loop delay max (prom-client's
 * monitorEventLoopDelay, reset at each scrape) and the lag of a probe trace (sent, then polled
 * until GET /analytics/traces/:id finds it: produce, Kafka, consume, insert). Fails (exit 1) when RSS after the warm-up (first
 * fifth, at least 30 s) grows by 10 % or more by the end, or after the warm-up an event-loop
 * stall exceeds 100 ms or a probe trace lags 2 s or more, or more than 0.1 % of requests fail. The
 * report counts the windows with a stall and, of those, the ones with a GC pause over 100 ms, and
 * lists what a scheduler sampler (bench/support/sched-sampler.ts, its own process at normal priority)
 * saw of the ingress' main thread in each: waiting for a CPU (starved by other processes) or running
 * (its own synchronous work or a GC pause), with the CPU analytics and the broker used meanwhile.
 *
 * Spend control is on, as in production: REDIS_URL (else a throwaway redis-server) holds the
 * counters and the response cache; the key and its team have rpm, tpm and a monthly budget (never
 * reached: a 429 is a failure) and the key caches answers for 60 s. Every other request repeats one
 * of REPEATED_PROMPTS prompts (answered from the cache after its first miss), the others are new
 * (a miss, then written to Redis): the token-count cache, the decoded-entry and local-copy caches
 * and the key index fill up to their bounds during the warm-up and must stay there.
 */
const num = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const MINUTES = num('GATEHOUSE_SOAK_MINUTES', 30);
const RPS = num('GATEHOUSE_SOAK_RPS', 1000);
const STREAM_EVERY = num('GATEHOUSE_SOAK_STREAM_EVERY', 5);
/** Niceness of the load generator (this process, set after the apps started so they keep 0): on a small machine it then yields the CPU to the gateway it measures. 0 keeps it equal. */
const LOADGEN_NICE = Number(process.env.GATEHOUSE_SOAK_LOADGEN_NICE ?? 10);
/**
 * Niceness of the analytics process, every thread (0: normal priority, the default). On a machine this
 * small chDB's thread bursts can take both cores for 100+ ms and starve the ingress (the scheduler
 * sampler shows it); a higher niceness did not prevent that (docs/resilience.md, "What the soak's
 * stalls are"), the knob is there to repeat that run.
 */
const ANALYTICS_NICE = Number(process.env.GATEHOUSE_SOAK_ANALYTICS_NICE ?? 0);
const SAMPLE_MS = 5_000;
const LIMITS = { rssGrowth: 0.1, stallMs: 100, traceLagMs: 2_000, errorRate: 0.001 };
const KEY = `gh-soak-${randomUUID()}`;
/** Distinct prompts of the repeated half of the requests (each comes back every ~4 s at 1,000 req/s, within the cache's 60 s). */
const REPEATED_PROMPTS = 2_000;
const ADMIN = `soak-admin-${randomUUID()}`;

const log = (msg: string) => process.stderr.write(`[soak] ${msg}\n`);

interface Sample {
  atS: number;
  rssMb: number;
  stallMs: number;
  /** GC pauses over 100 ms in the window: tells a stall caused by the collector from one caused by code or by the scheduler. */
  slowGcs: number;
  traceLagMs: number | null;
  /** What the scheduler sampler reported in the window (spans of its main thread waiting or running long). */
  episodes: SchedEpisode[];
  sent: number;
  failed: number;
}

const LAG_MAX = 'gatehouse_process_nodejs_eventloop_lag_max_seconds';
const GC = 'gatehouse_process_nodejs_gc_duration_seconds';

/** From one scrape of the ingress's /metrics: the event-loop delay max since the last scrape, and how many GC pauses so far took longer than 100 ms (all kinds). */
async function scrape(url: string): Promise<{ lagMaxS: number; slowGcs: number }> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
  let lagMaxS = 0;
  let slowGcs = 0;
  const value = (line: string) => Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(LAG_MAX)) lagMaxS = Math.max(lagMaxS, value(line));
    else if (line.startsWith(`${GC}_count`)) slowGcs += value(line);
    else if (line.startsWith(`${GC}_bucket`) && line.includes('le="0.1"')) slowGcs -= value(line);
  }
  return { lagMaxS, slowGcs };
}

/** Sets the niceness of every thread of pid (Linux threads have their own; threads they start inherit it). */
function renice(pid: number, nice: number): void {
  for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), nice);
}

/** The worst spans of a window: the main thread's wait for a CPU and its run time, and the other processes' CPU meanwhile (ms per span). */
function describe(es: SchedEpisode[]): string {
  const worst = (pick: (e: SchedEpisode) => number) => es.reduce((a, b) => (pick(b) > pick(a) ? b : a));
  const show = (e: SchedEpisode) =>
    `waited ${e.waitMs} ms, ran ${e.runMs} ms in ${e.spanMs} ms (${Object.entries(e.others).map(([k, v]) => `${k} ${v} ms CPU`).join(', ')}; up to ${e.runnable} threads runnable; most CPU since 200-400 ms before: ${e.top.join(', ')})`;
  const w = worst((e) => e.waitMs);
  const r = worst((e) => e.runMs);
  return w === r ? show(w) : `${show(w)}; ${show(r)}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gh-soak-'));
  const config = join(dir, 'gatehouse.yaml');
  writeFileSync(config, `
providers:
  local: { type: mock }
models:
  soak-model: { targets: [{ provider: local, model: mock-1 }] }
keys:
  - { name: soak, key_sha256: ${createHash('sha256').update(KEY).digest('hex')}, team: soak, rpm: 1000000, tpm: 1000000000, budget_usd: 1000000, budget_period: month, cache: { ttl_s: 60 } }
teams:
  soak: { rpm: 1000000, tpm: 1000000000, budget_usd: 1000000, budget_period: month }
pricing:
  local/mock-1: { input_per_mtok: 0.15, output_per_mtok: 0.6 }
policies:
  - { id: soak-pii, checks: [{ type: pii, action: redact }, { type: secrets, action: flag }] }
`);
  const [kafka, redis] = await Promise.all([kafkaBrokers(), redisUrl()]);
  const env = { GATEHOUSE_CONFIG: config, GATEHOUSE_ADMIN_TOKEN: ADMIN, GATEHOUSE_WORKERS: '1', KAFKA_BROKERS: kafka.brokers, REDIS_URL: '' };
  const [app, analytics] = await Promise.all([
    startApp('ingress', { env: { ...env, REDIS_URL: redis.url } }),
    startApp('analytics', { env: { ...env, GATEHOUSE_DATA_DIR: join(dir, 'data'), CLICKHOUSE_URL: '', CLICKHOUSE_DATABASE: `gh_soak_${Date.now()}` } }),
  ]);
  if (ANALYTICS_NICE !== 0) renice(analytics.pid, ANALYTICS_NICE);
  const episodes: SchedEpisode[] = [];
  const named = [`analytics=${analytics.pid}`, ...(kafka.pid ? [`kafka=${kafka.pid}`] : [])];
  const sampler = spawn(process.execPath, [join(__dirname, 'support', 'sched-sampler.js'), String(app.pid), ...named], { stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: sampler.stdout }).on('line', (line) => episodes.push(JSON.parse(line) as SchedEpisode));
  if (LOADGEN_NICE !== 0) setPriority(LOADGEN_NICE);
  const agent = new Agent({ connections: 256, pipelining: 1 });
  let sent = 0;
  let failed = 0;
  let inFlight = 0;
  const cache = { HIT: 0, MISS: 0 };
  const one = async (i: number): Promise<string | null> => {
    const stream = i % STREAM_EVERY === 0;
    const content = i % 2 === 0 ? `soak again ${i % REPEATED_PROMPTS} mail me at user${i % REPEATED_PROMPTS}@example.com` : `soak ${i} mail me at user${i}@example.com`;
    inFlight++;
    try {
      const r = await request(`${app.url}/v1/chat/completions`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'soak-model', stream, messages: [{ role: 'user', content }] }),
      });
      const body = await r.body.text();
      if (r.statusCode !== 200) {
        if (failed++ === 0) log(`first failed request: ${r.statusCode} ${body.slice(0, 300)}`);
      }
      const status = r.headers['x-gatehouse-cache'];
      if (status === 'HIT' || status === 'MISS') cache[status]++;
      return (r.headers['x-gatehouse-request-id'] as string | undefined) ?? null;
    } catch (e) {
      if (failed++ === 0) log(`first failed request: ${(e as Error).message}`);
      return null;
    } finally {
      inFlight--;
    }
  };
  const traceLag = async (): Promise<number | null> => {
    const t0 = Date.now();
    const id = await one(-1);
    if (!id) return null;
    while (Date.now() - t0 < 30_000) {
      const r = await fetch(`${analytics.url}/analytics/traces/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      await r.arrayBuffer();
      if (r.status === 200) return Date.now() - t0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return null;
  };

  log(`${MINUTES} min at ${RPS} req/s (1 in ${STREAM_EVERY} streamed) against pid ${app.pid}`);
  const start = Date.now();
  const end = start + MINUTES * 60_000;
  const samples: Sample[] = [];
  let i = 0;
  // Requests owed by the clock, not by ticks: a tick that comes late (a busy or niced generator)
  // sends what the elapsed time owes, so the rate holds at RPS.
  let issued = 0;
  const ticker = setInterval(() => {
    const owed = Math.floor(((Date.now() - start) * RPS) / 1000) - issued;
    for (let n = 0; n < owed; n++, issued++) if (inFlight < 2_000) void one(i++).then(() => sent++);
  }, 10);
  let slowGcsBefore = (await scrape(app.url)).slowGcs;
  let windowStart = Date.now();
  while (Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const m = await scrape(app.url);
    const windowEnd = Date.now();
    const s: Sample = {
      atS: Math.round((Date.now() - start) / 1000),
      rssMb: memoryMb(app.pid).rss,
      stallMs: m.lagMaxS * 1000,
      slowGcs: m.slowGcs - slowGcsBefore,
      traceLagMs: await traceLag(),
      episodes: episodes.filter((e) => e.at > windowStart && e.at <= windowEnd),
      sent,
      failed,
    };
    slowGcsBefore = m.slowGcs;
    windowStart = windowEnd;
    samples.push(s);
    log(`t=${s.atS}s rss=${s.rssMb.toFixed(1)} MB stall=${s.stallMs.toFixed(1)} ms gc>100ms=${s.slowGcs} load=${loadavg()[0].toFixed(1)} trace lag=${s.traceLagMs ?? 'none'} ms sent=${s.sent} failed=${s.failed}${s.episodes.length ? ` sched: ${describe(s.episodes)}` : ''}`);
  }
  clearInterval(ticker);
  sampler.kill();
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all([app.stop(), analytics.stop()]);
  await Promise.all([kafka.stop(), redis.stop()]);
  await agent.close();
  rmSync(dir, { recursive: true, force: true });

  const warm = samples.find((s) => s.atS >= Math.max(30, (MINUTES * 60) / 5)) ?? samples[0];
  const last = samples[samples.length - 1];
  const growth = (last.rssMb - warm.rssMb) / warm.rssMb;
  const steady = samples.filter((s) => s.atS >= warm.atS);
  const worstStall = Math.max(...steady.map((s) => s.stallMs));
  const stalled = steady.filter((s) => s.stallMs > LIMITS.stallMs);
  const lags = steady.map((s) => s.traceLagMs ?? Infinity);
  const worstLag = Math.max(...lags);
  const errorRate = sent === 0 ? 1 : failed / sent;
  const achieved = sent / ((Date.now() - start) / 1000);
  const verdicts = [
    [`RSS growth after warm-up (${warm.rssMb.toFixed(1)} MB at ${warm.atS} s → ${last.rssMb.toFixed(1)} MB)`, `${(growth * 100).toFixed(1)} %`, growth < LIMITS.rssGrowth],
    [`worst event-loop stall after warm-up (ingress)`, `${worstStall.toFixed(1)} ms`, worstStall <= LIMITS.stallMs],
    ['worst probe trace lag after warm-up (sent → queryable)', `${worstLag} ms`, worstLag < LIMITS.traceLagMs],
    ['failed requests', `${failed} of ${sent} (${(errorRate * 100).toFixed(3)} %)`, errorRate <= LIMITS.errorRate],
  ] as const;
  const report = [
    `# Soak: ${MINUTES} min at ${RPS} req/s (achieved ${achieved.toFixed(0)} req/s), 1 in ${STREAM_EVERY} streamed, load generator at nice ${LOADGEN_NICE}, analytics at nice ${ANALYTICS_NICE}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    '',
    '| measure | value | met |',
    '|---|---|---|',
    ...verdicts.map(([m, v, ok]) => `| ${m} | ${v} | ${ok ? 'yes' : 'NO'} |`),
    '',
    `Windows (5 s) with a stall over ${LIMITS.stallMs} ms: ${stalled.length} of ${steady.length}` +
      (stalled.length > 0 ? `; with a GC pause over 100 ms in the same window: ${stalled.filter((s) => s.slowGcs > 0).length}` : ''),
    ...stalled.map((s) => `- at ${s.atS} s, stall ${s.stallMs.toFixed(0)} ms: ${s.episodes.length ? describe(s.episodes) : 'the sampler saw no span of waiting or running long'}`),
    `GC pauses over 100 ms after warm-up: ${steady.reduce((n, s) => n + s.slowGcs, 0)}`,
    `Scheduler sampler, windows after warm-up with the ingress' main thread waiting >= 50 ms for a CPU within 200 ms: ${steady.filter((s) => s.episodes.some((e) => e.waitMs >= 50)).length}; running >= 150 ms within 200 ms: ${steady.filter((s) => s.episodes.some((e) => e.runMs >= 150)).length}`,
    `Response cache: ${cache.HIT} hits, ${cache.MISS} misses (every answer carries x-gatehouse-cache)`,
  ].join('\n');
  process.stdout.write(`${report}\n`);
  process.exit(verdicts.every(([, , ok]) => ok) ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`soak failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
