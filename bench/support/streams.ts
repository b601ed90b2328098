import { Pool } from 'undici';
import { percentile, sortedCopy } from './stats';
import type { Target } from './targets';

export interface StreamRound {
  target: string;
  /** Time from sending the request to the first byte of the response body, ms, sorted. */
  ttfb: number[];
  failed: number;
}

async function oneStream(pool: Pool, t: Target): Promise<number | null> {
  const start = process.hrtime.bigint();
  try {
    const res = await pool.request({ path: t.path, method: 'POST', headers: t.headers, body: t.streamBody });
    let first: number | null = null;
    for await (const chunk of res.body) {
      if (first === null && (chunk as Buffer).length > 0) first = Number(process.hrtime.bigint() - start) / 1e6;
    }
    return res.statusCode === 200 ? first : null;
  } catch {
    return null;
  }
}

/** `concurrency` streams started at once against one target; the pool keeps that many connections open between rounds. */
async function round(pool: Pool, t: Target, concurrency: number): Promise<StreamRound> {
  const results = await Promise.all(Array.from({ length: concurrency }, () => oneStream(pool, t)));
  const ok = results.filter((r): r is number => r !== null);
  return { target: t.name, ttfb: sortedCopy(ok), failed: concurrency - ok.length };
}

/** One uncounted warm-up round per target (opens the connections), then `rounds` rounds, targets interleaved. */
export async function measureStreams(targets: Target[], concurrency: number, rounds: number): Promise<StreamRound[]> {
  const pools = new Map(targets.map((t) => [t.name, new Pool(t.origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 })]));
  try {
    for (const t of targets) await round(pools.get(t.name)!, t, concurrency);
    const out: StreamRound[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < targets.length; k++) {
        const t = targets[(k + r) % targets.length];
        out.push(await round(pools.get(t.name)!, t, concurrency));
      }
    }
    return out;
  } finally {
    await Promise.all([...pools.values()].map((p) => p.close()));
  }
}

export const p99 = (r: StreamRound): number => percentile(r.ttfb, 99);
