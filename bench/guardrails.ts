/**
 * Inline cost of the default guardrail policy (pii + secrets + prompt_injection, input stage) on
 * realistic mixed prompts of 1, 10 and 100 KB and on adversarial inputs. Prints p50/p99 µs per
 * request and µs per KB; the target is ≤ 50 µs/KB at p99, linear in size.
 *
 * Run: npm run bench:guardrails (builds, then node dist/bench/guardrails.js).
 */
import { cpus, loadavg } from 'node:os';
import { PolicyBodySchema } from '@gatehouse/contracts/policy';
import { compilePolicies } from '@gatehouse/guardrails/policy-set';

const TARGET_US_PER_KB = 50;

const set = compilePolicies([
  {
    id: 'default',
    version: 1,
    created_at: 0,
    policy: PolicyBodySchema.parse({
      id: 'default',
      checks: [
        { type: 'pii', action: 'redact' },
        { type: 'secrets', action: 'deny' },
        { type: 'prompt_injection', action: 'deny' },
      ],
    }),
  },
]);

const PARAGRAPHS = [
  'Hi team, following up on yesterday\'s call with the customer. They asked whether the export job can run nightly instead of weekly, and whether we can include the region column. Can you draft a reply that explains the trade-offs and proposes a timeline?',
  'Here is the function that fails in production:\n```ts\nexport async function loadUser(id: string) {\n  const row = await db.query("SELECT * FROM users WHERE id = $1", [id]);\n  if (!row) throw new Error(`user ${id} not found`);\n  return { ...row, createdAt: new Date(row.created_at) };\n}\n```\nThe stack trace points at line 3. What is wrong?',
  'Summarize the following meeting notes in five bullet points: Q3 revenue grew 12% year over year to $4.2M; churn fell to 2.1%; the EU launch moved to October 14; hiring plan: 3 engineers, 1 designer; open risk: the vendor contract renewal on 2024-11-30.',
  'Customer record: {"id": 48213, "name": "Maria Garcia", "email": "maria.garcia@example.com", "plan": "enterprise", "seats": 250, "since": "2021-03-02", "notes": "prefers phone contact at +1 (415) 555-0132"}',
  'Translate into German: "Our support team is available Monday to Friday, 9am to 6pm CET. For urgent issues, open a ticket at https://support.example.com/tickets/new and mention your account number."',
  'The logs show requests from 10.24.3.17 and 192.168.0.44 timing out after 30 s while the upstream health check at https://api.internal.example.com/healthz returned 200. Version v2.14.3 of the gateway was deployed at 14:05 UTC.',
  'Write a short poem about autumn in the city: rain on the windows, the smell of coffee, people hurrying past with umbrellas, the last warm light before evening.',
  'Compare PostgreSQL and ClickHouse for an analytics workload with 2 billion rows per month, mostly aggregations by day, team and model, with a retention of 13 months. Consider storage cost, query latency and operational effort.',
];

function realistic(bytes: number): string {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += PARAGRAPHS[i % PARAGRAPHS.length] + '\n\n';
  return out.slice(0, bytes);
}

const KB = 1024;
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

const ctx = { requestId: 'bench', team: 'bench', keyId: 'bench', model: 'gpt-4o-mini' };

function measure(text: string): { p50: number; p99: number; runs: number } {
  const run = () => {
    const r = set.evaluate('input', [text], ctx);
    if (r instanceof Promise) throw new Error('default policy must evaluate synchronously');
  };
  for (let i = 0; i < 20; i++) run();
  const samples: number[] = [];
  const budgetNs = 1.5e9;
  const started = process.hrtime.bigint();
  while (samples.length < 2000 && (samples.length < 50 || Number(process.hrtime.bigint() - started) < budgetNs)) {
    const t0 = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { p50: at(0.5), p99: at(0.99), runs: samples.length };
}

const rows: string[][] = [['input', 'KB', 'runs', 'p50 µs', 'p99 µs', 'p50 µs/KB', 'p99 µs/KB', `≤ ${TARGET_US_PER_KB} µs/KB`]];
let missed = 0;
for (const [name, text] of INPUTS) {
  const kb = Buffer.byteLength(text) / KB;
  const { p50, p99, runs } = measure(text);
  const ok = p99 / kb <= TARGET_US_PER_KB;
  if (!ok) missed++;
  rows.push([name, kb.toFixed(1), String(runs), p50.toFixed(0), p99.toFixed(0), (p50 / kb).toFixed(1), (p99 / kb).toFixed(1), ok ? 'yes' : 'NO']);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log(`guardrails bench: default policy (pii redact + secrets deny + prompt_injection deny), input stage, node ${process.version}`);
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (p99 is sensitive to other processes; compare on a quiet machine)`);
for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
console.log(missed === 0 ? 'all inputs within target' : `${missed} input(s) over the ${TARGET_US_PER_KB} µs/KB target`);
