import { Client } from 'undici';
import { percentile, sortedCopy } from './stats';
import type { Target } from './targets';

export interface LatencyResult {
  /** Every sample of each target, milliseconds. */
  samples: Record<string, number[]>;
  /** Per repeat (a third of the run each), p50 and p99 of each target, to show the spread. */
  repeats: Array<Record<string, { p50: number; p99: number }>>;
}

/** A body containing SEQ gets a number unique to each request there (requests that must differ, e.g. cache misses). */
export const SEQ = '__SEQ__';
let seq = 0;

async function once(client: Client, t: Target): Promise<number> {
  const body = t.body.includes(SEQ) ? t.body.replace(SEQ, `${process.pid}-${seq++}`) : t.body;
  const start = process.hrtime.bigint();
  const res = await client.request({ path: t.path, method: 'POST', headers: t.headers, body });
  await res.body.text();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.statusCode !== 200) throw new Error(`${t.name} answered ${res.statusCode}`);
  return ms;
}

/**
 * Concurrency 1, one keep-alive connection per target. Targets take turns in blocks of `block`
 * requests (the order rotates every round) so that load from other processes hits all of them alike.
 */
export async function measureLatency(targets: Target[], perTarget: number, warmup: number, block = 50, repeats = 3): Promise<LatencyResult> {
  const clients = new Map(targets.map((t) => [t.name, new Client(t.origin, { pipelining: 1, keepAliveTimeout: 60_000 })]));
  try {
    for (const t of targets) for (let i = 0; i < warmup; i++) await once(clients.get(t.name)!, t);
    const samples: Record<string, number[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
    const perRepeat = Math.ceil(perTarget / repeats);
    const repeatResults: LatencyResult['repeats'] = [];
    for (let r = 0; r < repeats; r++) {
      const local: Record<string, number[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
      for (let round = 0; round * block < perRepeat; round++) {
        for (let k = 0; k < targets.length; k++) {
          const t = targets[(k + round) % targets.length];
          for (let i = 0; i < block; i++) local[t.name].push(await once(clients.get(t.name)!, t));
        }
      }
      const summary: Record<string, { p50: number; p99: number }> = {};
      for (const t of targets) {
        const s = sortedCopy(local[t.name]);
        summary[t.name] = { p50: percentile(s, 50), p99: percentile(s, 99) };
        samples[t.name].push(...local[t.name]);
      }
      repeatResults.push(summary);
    }
    return { samples, repeats: repeatResults };
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
}
