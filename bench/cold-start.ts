import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { startApp } from '../test/support/app-process';
import { runMain } from './support/main';
import { median } from './support/stats';

/**
 * `npm run bench:cold-start`: what a start costs the first requests. Starts standalone on its embedded
 * defaults (no Kafka, no Redis, the bundled example config and its dev key), waits for /readyz, then
 * sends four chat completions back to back and reports the time to ready and each request's latency
 * (median over rounds). With BENCH_BASELINE_DIST=<another build's dist dir> that build is started in
 * turn with this one (before, after, before, after, ...), so both are measured under the same load.
 * Knobs: BENCH_COLD_ROUNDS (3).
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_COLD_ROUNDS) || 3);
const REQUESTS = 4;
const DEV_KEY = 'gh-dev-insecure-example-key';

async function oneStart(distDir: string | undefined): Promise<{ readyMs: number; latencies: number[] }> {
  const t0 = performance.now();
  const app = await startApp('standalone', {
    distDir,
    env: { KAFKA_BROKERS: '', REDIS_URL: '', GATEHOUSE_CONFIG: '', GATEHOUSE_ADMIN_TOKEN: randomBytes(24).toString('hex') },
  });
  const readyMs = performance.now() - t0;
  const latencies: number[] = [];
  try {
    for (let i = 0; i < REQUESTS; i++) {
      const s = performance.now();
      const r = await fetch(`${app.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEV_KEY}` },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello ${i}` }] }),
      });
      await r.text();
      if (r.status !== 200) throw new Error(`request ${i + 1} answered ${r.status}`);
      latencies.push(performance.now() - s);
    }
  } finally {
    await app.stop();
  }
  return { readyMs, latencies };
}

runMain(async () => {
  const builds: Array<{ label: string; dist?: string }> = process.env.BENCH_BASELINE_DIST
    ? [{ label: 'before', dist: resolve(process.env.BENCH_BASELINE_DIST) }, { label: 'after' }]
    : [{ label: 'this build' }];
  const results = new Map(builds.map((b) => [b.label, [] as Array<{ readyMs: number; latencies: number[] }>]));
  const loads: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    loads.push(loadavg().map((l) => l.toFixed(1)).join('/'));
    for (const b of builds) {
      const r = await oneStart(b.dist);
      results.get(b.label)!.push(r);
      console.log(`round ${round + 1} ${b.label}: ready ${r.readyMs.toFixed(0)} ms; requests ${r.latencies.map((l) => l.toFixed(1)).join(', ')} ms`);
    }
  }
  console.log(`\n## Cold start (standalone, embedded defaults; ${ROUNDS} starts per build, taking turns; load ${loads.join('; ')})\n`);
  console.log(`| build | ready ms | ${Array.from({ length: REQUESTS }, (_, i) => `request ${i + 1} ms`).join(' | ')} |`);
  console.log(`| --- | ---: | ${Array.from({ length: REQUESTS }, () => '---:').join(' | ')} |`);
  for (const b of builds) {
    const runs = results.get(b.label)!;
    const cells = Array.from({ length: REQUESTS }, (_, i) => median(runs.map((r) => r.latencies[i])).toFixed(1));
    console.log(`| ${b.label} | ${median(runs.map((r) => r.readyMs)).toFixed(0)} | ${cells.join(' | ')} |`);
  }
  console.log('\n(medians; ready = spawn to the first 200 from /readyz, polled every 100 ms)');
});
