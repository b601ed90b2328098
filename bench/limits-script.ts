import { join, resolve } from 'node:path';
import type { Redis as RedisClient } from 'ioredis';
import { Redis } from 'ioredis';
import type { ScopeLimits } from '@gatehouse/spend';
import * as thisScripts from '../libs/spend/src/redis/scripts';
import * as thisBatch from '../libs/spend/src/redis/call-batch';
import { repoRoot } from '../test/support/app-process';
import { runCleanups, runMain } from './support/main';
import { median } from './support/stats';

/**
 * `npm run bench:limits-script`: Redis CPU per call of the limits batch script (BATCH_LUA) for calls
 * carrying A admissions and S settlements of a key and its team (rpm, tpm and a budget each), this
 * build's script, and with BENCH_BASELINE_DIST=<another build's dist dir> that build's too, on one
 * redis-server taking turns (BENCH_SCRIPT_ROUNDS rounds, default 10, of 1,000 calls each; median).
 * Redis CPU is read from INFO cpu, so it includes reading the call and writing the answer. Call
 * shapes: BENCH_SCRIPT_CALLS, a comma list of A+S (default 1+0,1+1,5+5,16+16).
 */
const ROUNDS = Number(process.env.BENCH_SCRIPT_ROUNDS ?? 10);
const PER_ROUND = 1000;
const SHAPES = (process.env.BENCH_SCRIPT_CALLS ?? '1+0,1+1,5+5,16+16').split(',').map((s) => s.split('+').map(Number) as [number, number]);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startRedis } = require(join(repoRoot(), 'test', 'support', 'services', 'redis.js')) as { startRedis(): Promise<{ url: string; pid: number; stop(): Promise<void> }> };

interface Build {
  label: string;
  scripts: typeof thisScripts;
  batch: typeof thisBatch;
  sha: string;
  scopes: ScopeLimits[];
}

async function redisCpuSeconds(r: RedisClient): Promise<number> {
  const info = await r.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
}

/** One call of `admissions` admissions and `settlements` settlements, as the counters send it. */
async function call(r: RedisClient, b: Build, admissions: number, settlements: number): Promise<void> {
  const batch = new b.batch.CallBatch((s) => [`gh:win:${s.scope}`, `gh:bud:${s.budgetCounter}`] as const);
  const now = Date.now();
  for (let i = 0; i < settlements; i++) void batch.addSettlement({ id: 's', admittedAt: now - 200, settledAt: now, estimatedTokens: 30, actualTokens: 41, costUsd: 0.000123, scopes: b.scopes }).catch(() => undefined);
  for (let i = 0; i < admissions; i++) void batch.addAdmission('admit', { now, tokens: 30, scopes: b.scopes }).catch(() => undefined);
  // a baseline built before CallBatch.callArgs: the keys, the two counts, the current second when its script reads one, then the requests' arguments
  const legacy = batch as Omit<typeof batch, 'callArgs' | 'second'> & { callArgs?: () => Array<string | number>; second?: number };
  const args = legacy.callArgs
    ? legacy.callArgs()
    : [legacy.settleKeys.length + legacy.admitKeys.length, ...legacy.settleKeys, ...legacy.admitKeys, legacy.settlements, legacy.admissions, ...(legacy.second === undefined ? [] : [legacy.second]), ...legacy.settleArgs, ...legacy.admitArgs];
  await r.evalsha(b.sha, ...(args as [number, ...Array<string | number>]));
}

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    const server = await startRedis();
    cleanups.push(() => server.stop());
    const r = new Redis(server.url);
    cleanups.push(() => r.disconnect());
    const dists: Array<{ label: string; dist?: string }> = process.env.BENCH_BASELINE_DIST ? [{ label: 'before', dist: resolve(process.env.BENCH_BASELINE_DIST) }, { label: 'after' }] : [{ label: 'this' }];
    const builds: Build[] = [];
    for (const [i, d] of dists.entries()) {
      const scripts = d.dist ? (require(join(d.dist, 'libs/spend/src/redis/scripts')) as typeof thisScripts) : thisScripts;
      const batch = d.dist ? (require(join(d.dist, 'libs/spend/src/redis/call-batch')) as typeof thisBatch) : thisBatch;
      const expireAt = Date.now() + 86_400_000;
      const scopes = ['k', 't'].map((kind) => ({ scope: `${kind}:bench${i}`, rpm: 1e9, tpm: 1e12, budgetUsd: 1e9, budgetCounter: `${kind}:bench${i}:m`, budgetExpireAt: expireAt }));
      for (const s of scopes) await r.hset(`gh:bud:${s.budgetCounter}`, 'spent', '0', 'seeded', '1');
      builds.push({ label: d.label, scripts, batch, sha: String(await r.script('LOAD', scripts.BATCH_LUA)), scopes });
    }
    const rows = ['| call (admissions + settlements of key and team) | ' + builds.map((b) => `${b.label}: Redis CPU µs per call (per request)`).join(' | ') + ' |', '|---|' + builds.map(() => '---:|').join('')];
    for (const [admissions, settlements] of SHAPES) {
      for (const b of builds) for (let i = 0; i < 300; i++) await call(r, b, admissions, settlements);
      const us = builds.map(() => [] as number[]);
      for (let round = 0; round < ROUNDS; round++) {
        for (const k of round % 2 ? [...builds.keys()].reverse() : [...builds.keys()]) {
          const c0 = await redisCpuSeconds(r);
          for (let i = 0; i < PER_ROUND; i++) await call(r, builds[k], admissions, settlements);
          us[k].push((((await redisCpuSeconds(r)) - c0) * 1e6) / PER_ROUND);
        }
      }
      rows.push(`| ${admissions} + ${settlements} | ` + us.map((u) => `${median(u).toFixed(1)} (${(median(u) / Math.max(admissions, settlements)).toFixed(1)})`).join(' | ') + ' |');
    }
    process.stdout.write(`## Limits script, Redis CPU per call (${ROUNDS} interleaved rounds of ${PER_ROUND} calls, medians)\n\n${rows.join('\n')}\n`);
  } finally {
    await runCleanups(cleanups, (m) => process.stderr.write(`${m}\n`));
  }
}

runMain(main);
