import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'undici';
import { repoRoot, startApp, type AppProcess } from '../test/support/app-process';
import { BENCH_MODEL, writeBenchConfig } from './support/bench-config';
import { runCleanups, runMain } from './support/main';
import { kafkaBrokers, spawnListening, type Child } from './support/processes';
import { cpuMs } from './support/proc-stats';
import { median, percentile, sortedCopy } from './support/stats';
import { buildCacheTargets, buildLimitTargets, buildTranslateTarget, type Target } from './support/targets';

/**
 * `npm run bench:limits`: the cost of rate limits + budget (+ a response cache lookup) on the request
 * path, as CPU per request (ingress and Redis) and c=1 latency, `limits-off`, `limits-on` and `all-on`
 * (limits + budget + a cache lookup that misses: a new prompt per request, the entry written after
 * the response) taking turns in the same run. With
 * BENCH_BASELINE_DIST=<another build's dist dir> the baseline build runs beside this one (each
 * ingress with its own redis-server), so before/after is measured under the same machine load.
 * Knobs: BENCH_AB_ROUNDS (6), BENCH_AB_SECONDS (3), BENCH_AB_CONNECTIONS (16), BENCH_AB_LATENCY (200
 * c=1 requests per variant and round), BENCH_CPU_PROFILE_DIR (profile this build's ingress),
 * BENCH_AB_VARIANTS (comma list of limits-off, limits-on, all-on, translate, cache-off, cache-miss, cache-hit;
 * default the first three; the cache variants are those of `npm run bench`):
 * `translate` is the Anthropic request the gateway translates to the OpenAI provider, limits and cache off,
 * so `BENCH_AB_VARIANTS=limits-off,translate` compares two builds' pass-through and translated paths.
 */
const num = (name: string, dflt: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const ROUNDS = num('BENCH_AB_ROUNDS', 6);
const SECONDS = num('BENCH_AB_SECONDS', 3);
const CONNECTIONS = num('BENCH_AB_CONNECTIONS', 16);
const LATENCY = num('BENCH_AB_LATENCY', 200);
const VARIANTS = (process.env.BENCH_AB_VARIANTS ?? 'limits-off,limits-on,all-on').split(',').map((v) => v.trim()).filter(Boolean);

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRedis } = require(join(repoRoot(), 'test', 'support', 'services', 'redis.js')) as { startRedis(): Promise<{ url: string; pid: number; stop(): Promise<void> }> };

interface Variant {
  name: string;
  target: Target;
  ingressPid: number;
  redisPid: number;
}

interface Sample {
  rps: number;
  ingressUs: number;
  redisUs: number;
  failed: number;
}

/** Where a target's body takes a number of its own per request (a new prompt: the cache lookup misses). */
const ID = '__SEQ__';
let seq = 0;

/** autocannon options of a closed-loop run; a body with ID gets a new number per request. */
function load(t: Target, seconds: number): Record<string, unknown> {
  const unique = t.body.includes(ID);
  return {
    url: t.origin + t.path,
    method: 'POST',
    headers: t.headers,
    body: t.body,
    ...(unique ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: t.body.replaceAll(ID, `ac-${++seq}`) }) }] } : {}),
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
  };
}

/** Limits + budget + a cache lookup that misses (a new prompt per request; the entry is written after the response). */
function allOn(origin: string, limitedApiKey: string): Target {
  const messages = [{ role: 'user', content: `${ID}: say hello to the benchmark.` }];
  return {
    name: 'all-on',
    origin,
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${limitedApiKey}`, 'x-gatehouse-cache': 'true' },
    body: JSON.stringify({ model: BENCH_MODEL, messages }),
    streamBody: JSON.stringify({ model: BENCH_MODEL, messages, stream: true, stream_options: { include_usage: true } }),
  };
}

const log = (msg: string) => process.stderr.write(`[bench:limits] ${msg}\n`);
const loadAvg = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function throughput(v: Variant): Promise<Sample> {
  const i0 = cpuMs(v.ingressPid);
  const r0 = cpuMs(v.redisPid);
  const r = await autocannon(load(v.target, SECONDS));
  const n = r.requests.total;
  return { rps: n / r.duration, ingressUs: ((cpuMs(v.ingressPid) - i0) * 1000) / n, redisUs: ((cpuMs(v.redisPid) - r0) * 1000) / n, failed: r.errors + r.timeouts + r.non2xx };
}

async function latency(client: Client, t: Target, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const body = t.body.replaceAll(ID, `c1-${++seq}`);
    const start = process.hrtime.bigint();
    const res = await client.request({ path: t.path, method: 'POST', headers: t.headers, body });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${t.path} answered ${res.statusCode}`);
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    log(`load average at start: ${loadAvg()}`);
    const kafka = await kafkaBrokers();
    cleanups.push(() => kafka.stop());
    const mock: Child = await spawnListening('test/support/mock-upstream/main.js', ['--port', '0', '--no-record']);
    cleanups.push(() => mock.stop());
    const cfg = writeBenchConfig(mock.url);
    cleanups.push(() => rmSync(cfg.dir, { recursive: true, force: true }));
    const builds: Array<{ label: string; dist?: string }> = process.env.BENCH_BASELINE_DIST
      ? [{ label: 'before', dist: resolve(process.env.BENCH_BASELINE_DIST) }, { label: 'after' }]
      : [{ label: 'this' }];
    const variants: Variant[] = [];
    for (const b of builds) {
      const redis = await startRedis();
      cleanups.push(() => redis.stop());
      const profile = !b.dist && process.env.BENCH_CPU_PROFILE_DIR ? `--require ${join(__dirname, 'support', 'cpu-profile-preload.js')}` : '';
      const ingress: AppProcess = await startApp('ingress', {
        distDir: b.dist,
        env: { GATEHOUSE_CONFIG: cfg.path, KAFKA_BROKERS: kafka.brokers, REDIS_URL: redis.url, GATEHOUSE_WORKERS: '1', LOG_LEVEL: 'warn', NODE_ENV: 'production', GATEHOUSE_ADMIN_TOKEN: randomBytes(24).toString('hex'), NODE_OPTIONS: profile },
      });
      cleanups.push(() => ingress.stop());
      const all = [...buildLimitTargets(ingress.url, cfg.apiKey, cfg.limitedApiKey, BENCH_MODEL), allOn(ingress.url, cfg.limitedApiKey), buildTranslateTarget(ingress.url, cfg.apiKey, BENCH_MODEL), ...buildCacheTargets(ingress.url, cfg.apiKey, BENCH_MODEL)];
      for (const t of all.filter((x) => VARIANTS.includes(x.name))) {
        variants.push({ name: `${b.label} ${t.name}`, target: t, ingressPid: ingress.pid, redisPid: redis.pid });
      }
    }
    const clients = new Map(variants.map((v) => [v.name, new Client(v.target.origin, { pipelining: 1, keepAliveTimeout: 60_000 })]));
    cleanups.push(() => Promise.all([...clients.values()].map((c) => c.close())).then(() => undefined));
    log('warm-up');
    for (const v of variants) {
      await latency(clients.get(v.name)!, v.target, 300);
      await autocannon(load(v.target, 1));
    }
    const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
    const lat = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    const loads: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      loads.push(loadAvg());
      const order = variants.map((_, k) => variants[(k + round) % variants.length]);
      for (const v of order) {
        const s = await throughput(v);
        samples.get(v.name)!.push(s);
        lat.get(v.name)!.push(...(await latency(clients.get(v.name)!, v.target, LATENCY)));
        log(`round ${round + 1} ${v.name.padEnd(18)} ${s.rps.toFixed(0).padStart(6)} req/s  ingress ${s.ingressUs.toFixed(0)} µs/req  redis ${s.redisUs.toFixed(0)} µs/req${s.failed ? `  FAILED ${s.failed}` : ''}`);
      }
    }
    const out = [
      `## Limits A/B (${ROUNDS} interleaved rounds, c=${CONNECTIONS} for ${SECONDS} s + ${LATENCY} c=1 requests per variant and round)`,
      '',
      `Load average (1/5/15) per round: ${loads.join('; ')}.`,
      '',
      '| variant | req/s (median) | ingress CPU µs/req | Redis CPU µs/req | c=1 p50 ms | c=1 p99 ms | failed |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const v of variants) {
      const s = samples.get(v.name)!;
      const l = sortedCopy(lat.get(v.name)!);
      out.push(`| ${v.name} | ${median(s.map((x) => x.rps)).toFixed(0)} | ${median(s.map((x) => x.ingressUs)).toFixed(0)} | ${median(s.map((x) => x.redisUs)).toFixed(1)} | ${percentile(l, 50).toFixed(3)} | ${percentile(l, 99).toFixed(3)} | ${s.reduce((a, x) => a + x.failed, 0)} |`);
    }
    out.push('', '| build, variant vs limits-off | throughput on/off (median of per-round ratios) | added ingress CPU µs/req | added Redis CPU µs/req | added c=1 p50 ms | added c=1 p99 ms |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const b of builds) {
      for (const variant of ['limits-on', 'all-on'].filter((x) => VARIANTS.includes(x) && VARIANTS.includes('limits-off'))) {
        const off = samples.get(`${b.label} limits-off`)!;
        const on = samples.get(`${b.label} ${variant}`)!;
        const lOff = sortedCopy(lat.get(`${b.label} limits-off`)!);
        const lOn = sortedCopy(lat.get(`${b.label} ${variant}`)!);
        const ratio = median(on.map((x, i) => x.rps / off[i].rps));
        const d = (f: (x: Sample) => number) => median(on.map(f)) - median(off.map(f));
        out.push(`| ${b.label} ${variant} | ${ratio.toFixed(2)} | ${d((x) => x.ingressUs).toFixed(0)} | ${d((x) => x.redisUs).toFixed(1)} | ${(percentile(lOn, 50) - percentile(lOff, 50)).toFixed(3)} | ${(percentile(lOn, 99) - percentile(lOff, 99)).toFixed(3)} |`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await runCleanups(cleanups, log);
  }
}

runMain(main);
