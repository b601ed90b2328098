import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type AppProcess } from '../test/support/app-process';
import { BENCH_MODEL, FAILOVER_MODELS, UPSTREAM_CONNECTIONS, writeBenchConfig } from './support/bench-config';
import type { LatencyResult } from './support/latency';
import { runCleanups, runMain } from './support/main';
import { kafkaBrokers, redisUrl, runLoadgen, spawnListening, type Child } from './support/processes';
import { memoryMb } from './support/proc-stats';
import { cacheSection, failoverSection, latencySection, limitsSection, streamsSection, TARGETS, throughputSection, verdictSection, type Verdict } from './support/report';
import type { StreamRound } from './support/streams';
import { buildCacheTargets, buildFailoverTargets, buildLimitTargets, buildTargets } from './support/targets';
import type { ThroughputResult } from './support/throughput';

/**
 * `npm run bench`: the mock upstream (zero added latency), a bare undici pass-through proxy and the
 * Gatehouse ingress (auth, translation, trace publishing to a real Kafka broker) measured in the
 * same run, each in its own process, by a load generator in yet another process. Prints markdown.
 * Knobs: BENCH_LATENCY_REQUESTS, BENCH_STEP_SECONDS, BENCH_PAIRED_ROUNDS, BENCH_STREAMS, BENCH_STREAM_ROUNDS, KAFKA_BROKERS,
 * BENCH_INGRESS_NODE_OPTIONS (NODE_OPTIONS for the ingress only), BENCH_CPU_PROFILE_DIR (profile the ingress into that dir).
 */
const num = (name: string, dflt: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const SETTINGS = {
  latencyRequests: num('BENCH_LATENCY_REQUESTS', 3000),
  latencyWarmup: 300,
  stepSeconds: num('BENCH_STEP_SECONDS', 2),
  levels: [1, 2, 4, 8, 16, 32, 64, 128],
  streams: num('BENCH_STREAMS', 500),
  streamRounds: num('BENCH_STREAM_ROUNDS', 5),
  pairedRounds: num('BENCH_PAIRED_ROUNDS', 5),
};

/** NODE_OPTIONS of the ingress: BENCH_INGRESS_NODE_OPTIONS, plus the CPU profiler preload when BENCH_CPU_PROFILE_DIR is set. */
function ingressNodeOptions(): string {
  const opts = [process.env.BENCH_INGRESS_NODE_OPTIONS ?? ''];
  if (process.env.BENCH_CPU_PROFILE_DIR) opts.push(`--require ${join(__dirname, 'support', 'cpu-profile-preload.js')}`);
  return opts.join(' ').trim();
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Samples the RSS of the given processes every 200 ms while `work` runs; returns the highest seen per pid. */
async function sampled<T>(pids: number[], work: Promise<T>): Promise<{ result: T; maxRss: Map<number, number> }> {
  const maxRss = new Map(pids.map((p) => [p, 0]));
  const timer = setInterval(() => {
    for (const p of pids) maxRss.set(p, Math.max(maxRss.get(p)!, memoryMb(p).rss));
  }, 200);
  try {
    return { result: await work, maxRss };
  } finally {
    clearInterval(timer);
  }
}

async function metric(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = pattern.exec(line);
    if (m) sum += Number(m[1]);
  }
  return sum;
}

async function main(): Promise<void> {
  const started = Date.now();
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    log(`load average at start: ${load()}`);
    const kafka = await kafkaBrokers();
    cleanups.push(() => kafka.stop());
    log(`kafka: ${kafka.brokers}${process.env.KAFKA_BROKERS ? ' (KAFKA_BROKERS)' : ' (started for this run)'}`);
    const mock: Child = await spawnListening('test/support/mock-upstream/main.js', ['--port', '0', '--no-record']);
    cleanups.push(() => mock.stop());
    const bare: Child = await spawnListening('bench/support/bare-proxy.js', ['--upstream', mock.url, '--port', '0', '--connections', String(UPSTREAM_CONNECTIONS)]);
    cleanups.push(() => bare.stop());
    const cfg = writeBenchConfig(mock.url);
    cleanups.push(() => rmSync(cfg.dir, { recursive: true, force: true }));
    const ingress: AppProcess = await startApp('ingress', {
      env: { GATEHOUSE_CONFIG: cfg.unlimitedPath, KAFKA_BROKERS: kafka.brokers, GATEHOUSE_WORKERS: '1', LOG_LEVEL: 'warn', NODE_ENV: 'production', GATEHOUSE_ADMIN_TOKEN: randomBytes(24).toString('hex'), NODE_OPTIONS: ingressNodeOptions() },
    });
    cleanups.push(() => ingress.stop());
    const redis = await redisUrl();
    cleanups.push(() => redis.stop());
    log(`redis: ${redis.url}${process.env.REDIS_URL ? ' (REDIS_URL)' : ' (started for this run)'}`);
    const cacheIngress: AppProcess = await startApp('ingress', {
      env: { GATEHOUSE_CONFIG: cfg.path, KAFKA_BROKERS: kafka.brokers, REDIS_URL: redis.url, GATEHOUSE_WORKERS: '1', LOG_LEVEL: 'warn', NODE_ENV: 'production', GATEHOUSE_ADMIN_TOKEN: randomBytes(24).toString('hex') },
    });
    cleanups.push(() => cacheIngress.stop());
    const targets = buildTargets({ mock: mock.url, bare: bare.url, gateway: ingress.url, apiKey: cfg.apiKey, model: BENCH_MODEL });
    const cacheTargets = buildCacheTargets(cacheIngress.url, cfg.apiKey, BENCH_MODEL);
    const hitTarget = cacheTargets.filter((t) => t.name === 'cache-hit');
    const limitTargets = buildLimitTargets(cacheIngress.url, cfg.apiKey, cfg.limitedApiKey, BENCH_MODEL);
    const failoverTargets = buildFailoverTargets(ingress.url, cfg.apiKey, FAILOVER_MODELS);
    const names = [...targets, ...hitTarget, ...limitTargets, ...failoverTargets].map((t) => t.name);
    const rssAtStart = memoryMb(ingress.pid).rss;

    log(`latency at concurrency 1 (${SETTINGS.latencyRequests} requests per target) — load ${load()}`);
    const loadLatency = load();
    const latency = await runLoadgen<LatencyResult>({ phase: 'latency', targets: [...targets, ...cacheTargets, ...limitTargets, ...failoverTargets], perTarget: SETTINGS.latencyRequests, warmup: SETTINGS.latencyWarmup });
    const rssAfterLatency = memoryMb(ingress.pid).rss;

    log(`throughput ramp (${SETTINGS.stepSeconds} s per step), then ${SETTINGS.pairedRounds} paired rounds — load ${load()}`);
    const loadThroughput = load();
    const tp = await sampled([ingress.pid, bare.pid], runLoadgen<ThroughputResult>({
      phase: 'throughput', targets: [...targets, ...hitTarget, ...limitTargets, ...failoverTargets], levels: SETTINGS.levels, seconds: SETTINGS.stepSeconds, p99BoundMs: TARGETS.p99BoundMs,
      groups: [['bare', 'gateway', 'gateway-translate', 'cache-hit'], ['limits-off', 'limits-on']], pairedRounds: SETTINGS.pairedRounds,
      pids: { direct: mock.pid, bare: bare.pid, gateway: ingress.pid, 'gateway-translate': ingress.pid, 'cache-hit': cacheIngress.pid, 'limits-off': cacheIngress.pid, 'limits-on': cacheIngress.pid, 'failover-healthy': ingress.pid, 'failover-50': ingress.pid },
    }));

    log(`${SETTINGS.streams} concurrent streams × ${SETTINGS.streamRounds} rounds per target — load ${load()}`);
    const loadStreams = load();
    const st = await sampled([ingress.pid, bare.pid], runLoadgen<StreamRound[]>({
      phase: 'streams', targets, concurrency: SETTINGS.streams, rounds: SETTINGS.streamRounds,
    }));

    await new Promise((r) => setTimeout(r, 500));
    const requests = await metric(ingress.url, /^gatehouse_requests_total\{[^}]*\} (\d+)/);
    const published = await metric(ingress.url, /^gatehouse_bus_published_total\{topic="gatehouse\.traces\.v1"\} (\d+)/);
    const breakerOpenings = await metric(ingress.url, /^gatehouse_target_breaker_transitions_total\{target="flaky\/[^"]*",to="open"\} (\d+)/);
    const dropped = await metric(ingress.url, /^gatehouse_bus_dropped_total\{topic="gatehouse\.traces\.v1"\} (\d+)/);
    const ingressMem = memoryMb(ingress.pid);
    const bareMem = memoryMb(bare.pid);
    const mockMem = memoryMb(mock.pid);

    const verdicts: Verdict[] = [];
    const peak = Math.max(ingressMem.peak, tp.maxRss.get(ingress.pid)!, st.maxRss.get(ingress.pid)!);
    const out = [
      '## Gatehouse gateway benchmark',
      '',
      `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${new Date().toISOString()}.`,
      '',
      'What ran where (separate processes, nothing pinned; all share the same cores):',
      `- mock upstream (no added latency, recording off): pid ${mock.pid}, ${mock.url}`,
      `- bare pass-through proxy (node:http + undici Pool, ${UPSTREAM_CONNECTIONS} connections): pid ${bare.pid}, ${bare.url}`,
      `- Gatehouse ingress (dist/apps/ingress/main.js, GATEHOUSE_WORKERS=1, openai provider → mock, ${UPSTREAM_CONNECTIONS} connections, no guardrail policies): pid ${ingress.pid}, ${ingress.url}`,
      `- Gatehouse ingress with REDIS_URL for the response cache and limits rows (same config, Redis on loopback): pid ${cacheIngress.pid}, ${cacheIngress.url}; Redis ${redis.url}`,
      `- Kafka broker (trace publishing on): ${kafka.brokers}${process.env.KAFKA_BROKERS ? ' (from KAFKA_BROKERS)' : ' (single-node KRaft JVM started by the bench)'}`,
      '- load generator: a fresh child process per phase (undici for latency and streams, autocannon for throughput); this orchestrator only samples RSS',
      '',
      'Variants: `direct` = client → mock; `bare` = client → bare proxy → mock; `gateway` = OpenAI client → Gatehouse → openai provider (same dialect, body passed through);',
      '`gateway-translate` = Anthropic client (`/v1/messages`) → Gatehouse → openai provider (request, response and stream translated).',
      '',
      `Load average (1/5/15 min) before each phase: latency ${loadLatency}; throughput ${loadThroughput}; streams ${loadStreams}.`,
      '',
      ...latencySection(latency, verdicts),
      '',
      ...throughputSection(tp.result, names, verdicts),
      '',
      ...streamsSection(st.result, targets.map((t) => t.name), SETTINGS.streams, verdicts),
      '',
      ...cacheSection(latency, tp.result, verdicts),
      '',
      ...limitsSection(latency, tp.result, verdicts),
      '',
      ...failoverSection(latency, tp.result, breakerOpenings),
      '',
      '### Memory (RSS, MB)',
      '',
      '| process | after start | after latency phase | max during throughput | max during streams | peak (VmHWM) | now |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ingress | ${rssAtStart.toFixed(0)} | ${rssAfterLatency.toFixed(0)} | ${tp.maxRss.get(ingress.pid)!.toFixed(0)} | ${st.maxRss.get(ingress.pid)!.toFixed(0)} | ${ingressMem.peak.toFixed(0)} | ${ingressMem.rss.toFixed(0)} |`,
      `| bare proxy | — | — | ${tp.maxRss.get(bare.pid)!.toFixed(0)} | ${st.maxRss.get(bare.pid)!.toFixed(0)} | ${bareMem.peak.toFixed(0)} | ${bareMem.rss.toFixed(0)} |`,
      `| mock upstream | — | — | — | — | ${mockMem.peak.toFixed(0)} | ${mockMem.rss.toFixed(0)} |`,
      '',
      `Traces: the ingress answered ${requests} requests and Kafka acknowledged ${published} traces (${dropped} dropped by a full publish buffer).`,
      '',
    ];
    verdicts.push({ metric: 'ingress RSS peak', variant: 'gateway (both variants)', value: `${peak.toFixed(0)} MB`, target: `≤ ${TARGETS.rssMb} MB`, ok: peak <= TARGETS.rssMb });
    verdicts.push({ metric: 'traces published', variant: 'gateway (both variants)', value: `${published} / ${requests}`, target: 'all, none dropped', ok: dropped === 0 && published >= requests });
    out.push(...verdictSection(verdicts), '', `Bench took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await runCleanups(cleanups, log);
  }
}

runMain(main);
