import { readdirSync, readFileSync } from 'node:fs';
import { cpuMs, processStat } from './proc-stats';

/**
 * Tells an event-loop stall caused by the scheduler from one caused by the process' own work. Run
 * as its own process (`node sched-sampler.js <watched pid> [<name>=<pid> ...]`, at normal priority):
 * every SAMPLE_MS it reads the watched process' main thread from /proc/<pid>/task/<pid>/schedstat
 * (time on a CPU, time runnable but waiting for one). Whenever, over the last SPAN_MS, the thread
 * waited WAIT_MS or more for a CPU, or ran BUSY_MS or more, it prints one JSON line (an episode):
 * when, both amounts, the CPU the other named processes used in the same span, the most threads
 * runnable at once on the machine (/proc/stat procs_running) and the processes that used the most CPU
 * (from a snapshot of every process taken every SPAN_MS). A starved thread waits; a thread stuck in its
 * own synchronous work (or a GC pause) runs.
 */
export interface SchedEpisode {
  /** Date.now() at the end of the span. */
  at: number;
  spanMs: number;
  /** The watched main thread's time runnable but not running, ms. */
  waitMs: number;
  /** Its time on a CPU, ms. */
  runMs: number;
  /** CPU time of each named process over the span, ms (all its threads). */
  others: Record<string, number>;
  /** The most threads runnable at once on the machine during the span (the sampler's own included). */
  runnable: number;
  /** The processes with the most CPU time since the snapshot before the span: "<command>(<pid>) <ms>". */
  top: string[];
}

const SAMPLE_MS = 10;
const SPAN_MS = 200;
const WAIT_MS = 50;
const BUSY_MS = 150;
/** After an episode, the next is printed only once the span has moved past it. */
const QUIET_MS = SPAN_MS;

interface Sample {
  t: number;
  runNs: number;
  waitNs: number;
  others: number[];
  runnable: number;
}

function procsRunning(): number {
  const m = /^procs_running (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** CPU ms so far of every process, with its command name. */
function everyProcess(): Map<number, { comm: string; cpuMs: number }> {
  const out = new Map<number, { comm: string; cpuMs: number }>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    const stat = Number.isInteger(pid) ? processStat(pid) : null;
    if (stat) out.set(pid, stat);
  }
  return out;
}

function topSince(before: Map<number, { comm: string; cpuMs: number }>, n: number): string[] {
  const now = everyProcess();
  const rows: Array<[string, number]> = [];
  for (const [pid, p] of now) {
    const d = p.cpuMs - (before.get(pid)?.cpuMs ?? 0);
    if (d > 0) rows.push([`${p.comm}(${pid})`, d]);
  }
  return rows
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([who, ms]) => `${who} ${ms}`);
}

function mainThread(pid: number): { runNs: number; waitNs: number } | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
    return { runNs: Number(run), waitNs: Number(wait) };
  } catch {
    return null;
  }
}

function main(): void {
  const watched = Number(process.argv[2]);
  const named = process.argv.slice(3).map((a) => {
    const [name, pid] = a.split('=');
    return { name, pid: Number(pid) };
  });
  const window: Sample[] = [];
  let quietUntil = 0;
  // two snapshots of every process, SPAN_MS apart: the older one precedes any span that ends now
  let snapshots = [everyProcess(), everyProcess()];
  setInterval(() => {
    snapshots = [snapshots[1], everyProcess()];
  }, SPAN_MS);
  setInterval(() => {
    const now = Date.now();
    const thread = mainThread(watched);
    if (!thread) process.exit(0);
    const sample: Sample = { t: now, ...thread, others: named.map((n) => cpuMs(n.pid)), runnable: procsRunning() };
    window.push(sample);
    while (window.length > 1 && now - window[1].t >= SPAN_MS) window.shift();
    const first = window[0];
    if (now - first.t < SPAN_MS || now < quietUntil) return;
    const waitMs = (sample.waitNs - first.waitNs) / 1e6;
    const runMs = (sample.runNs - first.runNs) / 1e6;
    if (waitMs < WAIT_MS && runMs < BUSY_MS) return;
    quietUntil = now + QUIET_MS;
    const others = Object.fromEntries(named.map((n, i) => [n.name, Math.round(sample.others[i] - first.others[i])]));
    const runnable = Math.max(...window.map((w) => w.runnable));
    const episode: SchedEpisode = { at: now, spanMs: now - first.t, waitMs: Math.round(waitMs), runMs: Math.round(runMs), others, runnable, top: topSince(snapshots[0], 5) };
    process.stdout.write(`${JSON.stringify(episode)}\n`);
  }, SAMPLE_MS);
}

if (require.main === module) main();
