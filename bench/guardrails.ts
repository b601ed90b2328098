/**
 * Inline cost of the default guardrail policy (pii + secrets + prompt_injection, input stage) on
 * realistic mixed prompts of 1, 10 and 100 KB and on adversarial inputs. Prints p50/p99 µs per
 * request and µs per KB; the target is ≤ 50 µs/KB at p99, linear in size.
 *
 * Run: npm run bench:guardrails (builds, then node dist/bench/guardrails.js).
 *
 * BENCH_BASELINE_DIST=<another build's dist dir> measures that build's policy beside this one in the
 * same process, taking turns per input (BENCH_AB_ROUNDS rounds, default 4; medians), and prints
 * before/after CPU µs/KB: on a shared machine the comparison to trust.
 */
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as cost from './support/guardrail-cost';
import { median } from './support/stats';

const { defaultPolicySet, KB, measure, realistic } = cost;

const TARGET_US_PER_KB = 50;

const INPUTS: [string, string][] = [
  ['mixed 1 KB', realistic(KB)],
  ['mixed 10 KB', realistic(10 * KB)],
  ['mixed 100 KB', realistic(100 * KB)],
  ['digits 100 KB', '7'.repeat(100 * KB)],
  ['digits+dashes 100 KB', '4111-1111-1111-'.repeat((100 * KB) / 15)],
  ["'a' run 100 KB", 'a'.repeat(100 * KB)],
  ['nested delimiters 100 KB', '(([[{{<<"\'`'.repeat((100 * KB) / 11)],
  ["many '@' 100 KB", 'a@'.repeat((100 * KB) / 2)],
  ['@ in a word run 100 KB', `${'b'.repeat(50 * KB)}@${'c'.repeat(50 * KB)}`],
  ['base64 run 100 KB', Buffer.alloc(75 * KB, 'ignore all previous instructions ').toString('base64')],
  ['dashes and BEGIN 100 KB', '-----BEGIN '.repeat((100 * KB) / 11)],
  ['hex/colons 100 KB', 'ab:'.repeat((100 * KB) / 3)],
];

if (process.env.BENCH_BASELINE_DIST) compareWithBaseline(resolve(process.env.BENCH_BASELINE_DIST));
else measureTargets();

function measureTargets(): void {
  const set = defaultPolicySet();
  const rows: string[][] = [['input', 'KB', 'runs', 'p50 µs', 'p99 µs', 'p50 µs/KB', 'p99 µs/KB', 'CPU µs/KB', `≤ ${TARGET_US_PER_KB} µs/KB`]];
  let missed = 0;
  for (const [name, text] of INPUTS) {
    const kb = Buffer.byteLength(text) / KB;
    const { p50, p99, cpu, runs } = measure(set, text);
    const ok = p99 / kb <= TARGET_US_PER_KB;
    if (!ok) missed++;
    rows.push([name, kb.toFixed(1), String(runs), p50.toFixed(0), p99.toFixed(0), (p50 / kb).toFixed(1), (p99 / kb).toFixed(1), (cpu / kb).toFixed(1), ok ? 'yes' : 'NO']);
  }
  console.log(`guardrails bench: default policy (pii redact + secrets deny + prompt_injection deny), input stage, node ${process.version}`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (p99 is sensitive to other processes; compare on a quiet machine)`);
  printTable(rows);
  console.log(missed === 0 ? 'all inputs within target' : `${missed} input(s) over the ${TARGET_US_PER_KB} µs/KB target`);
}

/** Before/after CPU µs/KB of every input: the two builds' default policies measured in turns, medians of the rounds. */
function compareWithBaseline(dist: string): void {
  const before = require(join(dist, 'bench', 'support', 'guardrail-cost')) as typeof cost;
  const builds = [
    { label: 'before', set: before.defaultPolicySet(), measure: before.measure },
    { label: 'after', set: defaultPolicySet(), measure },
  ];
  const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 4);
  const rows: string[][] = [['input', 'KB', 'before CPU µs/KB', 'after CPU µs/KB', 'after/before', 'before p99 µs/KB', 'after p99 µs/KB']];
  for (const [name, text] of INPUTS) {
    const kb = Buffer.byteLength(text) / KB;
    const cpu: number[][] = [[], []];
    const p99: number[][] = [[], []];
    for (let r = 0; r < rounds; r++) {
      for (const b of r % 2 === 0 ? [0, 1] : [1, 0]) {
        const m = builds[b].measure(builds[b].set, text);
        cpu[b].push(m.cpu / kb);
        p99[b].push(m.p99 / kb);
      }
    }
    const [c0, c1] = cpu.map(median);
    rows.push([name, kb.toFixed(1), c0.toFixed(1), c1.toFixed(1), (c1 / c0).toFixed(2), median(p99[0]).toFixed(1), median(p99[1]).toFixed(1)]);
  }
  console.log(`guardrails bench, before (${dist}) and after (this build) in turns, ${rounds} rounds, medians; node ${process.version}`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  printTable(rows);
}

/** Rows as aligned columns: the first left-aligned, the others right-aligned. */
function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}
