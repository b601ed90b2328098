import { cpuMs } from './proc-stats';
import { median, spread } from './stats';
import type { Target } from './targets';

/** The part of autocannon's result this bench reads (autocannon ships no types). */
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { p50: number; p99: number };
  requests: { total: number };
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface ThroughputStep {
  target: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU time (user + system) of the process serving the target, per request, µs. */
  cpuUsPerRequest: number;
}

async function step(t: Target, connections: number, seconds: number, pid: number | undefined): Promise<ThroughputStep> {
  const cpuBefore = pid ? cpuMs(pid) : NaN;
  const r = await autocannon({
    url: t.origin + t.path,
    method: 'POST',
    headers: t.headers,
    body: t.body,
    connections,
    pipelining: 1,
    duration: seconds,
  });
  return {
    target: t.name,
    connections,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failed: r.errors + r.timeouts + r.non2xx,
    cpuUsPerRequest: pid ? ((cpuMs(pid) - cpuBefore) * 1000) / r.requests.total : NaN,
  };
}

/**
 * After one uncounted warm-up step per target (JIT, connection pools), closed-loop load at rising connection counts; at each level every target still within the
 * latency bound runs once (targets interleaved, order rotating). A target drops out after its
 * first step with p99 above the bound or with failures. `pids` names the process serving each target,
 * whose CPU time per request is recorded (on a shared machine a steadier figure than req/s).
 */
export async function rampThroughput(targets: Target[], levels: number[], seconds: number, p99BoundMs: number, pids: Record<string, number>): Promise<ThroughputStep[]> {
  for (const t of targets) await step(t, 8, Math.min(seconds, 1), undefined);
  const steps: ThroughputStep[] = [];
  let active = [...targets];
  for (let li = 0; li < levels.length && active.length > 0; li++) {
    const order = active.map((_, k) => active[(k + li) % active.length]);
    for (const t of order) {
      const s = await step(t, levels[li], seconds, pids[t.name]);
      steps.push(s);
      process.stderr.write(`  ${t.name.padEnd(18)} c=${String(levels[li]).padStart(3)}  ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms  cpu ${s.cpuUsPerRequest.toFixed(0)} µs/req${s.failed ? `  failed ${s.failed}` : ''}\n`);
      if (s.p99 > p99BoundMs || s.failed > 0) active = active.filter((a) => a !== t);
    }
  }
  return steps;
}

/** The ramp's steps and, for each group compared in the verdicts, its paired rounds. */
export interface ThroughputResult {
  steps: ThroughputStep[];
  groups: PairedGroup[];
}

/**
 * Targets compared with each other, re-run after the ramp, taking turns, for several rounds. A ratio
 * read from one round (both sides measured seconds apart, at the same machine load) is steadier than
 * the ratio of two maxima picked from single ramp steps, each of which may have caught a burst of
 * other work on the machine. In every round each member runs at every member's best ramp level and
 * keeps its best step: were each to run only at its own best level, a ramp that happened to pick 4
 * connections for one and 8 for the other would put that choice's noise into every round's ratio.
 */
export interface PairedGroup {
  targets: string[];
  /** The connection counts every member runs at in each round: the members' best ramp levels. */
  levels: number[];
  /** Per round, each target's best step of that round (within the p99 bound if any was), in the group's order. */
  rounds: ThroughputStep[][];
}

/** A target's step of highest req/s within the p99 bound and without failures (bestWithin), else its step of highest req/s. */
function bestOfRound(tried: ThroughputStep[], p99BoundMs: number): ThroughputStep {
  return bestWithin(tried, tried[0].target, p99BoundMs) ?? tried.reduce((a, b) => (b.rps > a.rps ? b : a));
}

/** `rounds` rounds over each group at its members' best ramp levels, the order of levels and members rotating per round; a group with a member that never stayed within the bound is skipped (its ratios read n/a). */
export async function pairedRounds(targets: Target[], steps: ThroughputStep[], groups: string[][], rounds: number, seconds: number, p99BoundMs: number, pids: Record<string, number>): Promise<PairedGroup[]> {
  const out: PairedGroup[] = [];
  for (const names of groups) {
    const members = names
      .map((n) => ({ t: targets.find((x) => x.name === n), best: bestWithin(steps, n, p99BoundMs) }))
      .filter((m): m is { t: Target; best: ThroughputStep } => m.t !== undefined && m.best !== null);
    if (members.length !== names.length) continue;
    const levels = [...new Set(members.map((m) => m.best.connections))].sort((a, b) => a - b);
    const group: PairedGroup = { targets: names, levels, rounds: [] };
    for (let r = 0; r < rounds; r++) {
      const tried = new Map<string, ThroughputStep[]>(members.map((m) => [m.t.name, []]));
      for (let li = 0; li < levels.length; li++) {
        const level = levels[(li + r) % levels.length];
        for (let k = 0; k < members.length; k++) {
          const m = members[(k + r) % members.length];
          const s = await step(m.t, level, seconds, pids[m.t.name]);
          tried.get(m.t.name)!.push(s);
          process.stderr.write(`  paired ${r + 1}/${rounds} ${m.t.name.padEnd(18)} c=${String(level).padStart(3)}  ${s.rps.toFixed(0).padStart(6)} req/s  p99 ${s.p99} ms  cpu ${s.cpuUsPerRequest.toFixed(0)} µs/req\n`);
        }
      }
      group.rounds.push(members.map((m) => bestOfRound(tried.get(m.t.name)!, p99BoundMs)));
    }
    out.push(group);
  }
  return out;
}

/** Median over a group's rounds of `value(a) / value(b)`, each ratio taken within one round; NaN when the group did not run. */
export function pairedRatio(groups: PairedGroup[], a: string, b: string, value: (s: ThroughputStep) => number): { median: number; min: number; max: number; rounds: number } {
  const g = groups.find((x) => x.targets.includes(a) && x.targets.includes(b));
  const ratios = (g?.rounds ?? [])
    .map((round) => {
      const sa = round.find((s) => s.target === a);
      const sb = round.find((s) => s.target === b);
      return sa && sb ? value(sa) / value(sb) : NaN;
    })
    .filter(Number.isFinite);
  if (ratios.length === 0) return { median: NaN, min: NaN, max: NaN, rounds: 0 };
  return { median: median(ratios), ...spread(ratios), rounds: ratios.length };
}

/** Highest req/s among a target's steps that kept p99 within the bound without failures. */
export function bestWithin(steps: ThroughputStep[], target: string, p99BoundMs: number): ThroughputStep | null {
  let best: ThroughputStep | null = null;
  for (const s of steps) {
    if (s.target !== target || s.p99 > p99BoundMs || s.failed > 0) continue;
    if (!best || s.rps > best.rps) best = s;
  }
  return best;
}
