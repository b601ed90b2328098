/**
 * Inline cost of the default guardrail policy (pii + secrets + prompt_injection, input stage) on
 * realistic mixed prompts of 1, 10 and 100 KB and on adversarial inputs. Prints p50/p99 µs per
 * request and µs per KB; the target is ≤ 50 µs/KB at p99, linear in size.
 *
 * Run: npm run bench:guardrails (builds, then node dist/bench/guardrails.js).
 */
import { cpus, loadavg } from 'node:os';
import { defaultPolicySet, KB, measure, realistic } from './support/guardrail-cost';

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
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`guardrails bench: default policy (pii redact + secrets deny + prompt_injection deny), input stage, node ${process.version}`);
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (p99 is sensitive to other processes; compare on a quiet machine)`);
for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
console.log(missed === 0 ? 'all inputs within target' : `${missed} input(s) over the ${TARGET_US_PER_KB} µs/KB target`);
