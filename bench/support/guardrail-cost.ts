import { PolicyBodySchema } from '@gatehouse/contracts';
import { compilePolicies, type CompiledPolicySet } from '@gatehouse/guardrails';

/** The default policy the cost target is about: pii redact + secrets deny + prompt_injection deny, input stage. */
export function defaultPolicySet(): CompiledPolicySet {
  return compilePolicies([
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
}

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

/** Realistic mixed prompt text of `bytes` characters (chat, code, JSON with PII, logs with IPs). */
export function realistic(bytes: number): string {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += PARAGRAPHS[i % PARAGRAPHS.length] + '\n\n';
  return out.slice(0, bytes);
}

export const KB = 1024;

const ctx = { requestId: 'bench', team: 'bench', keyId: 'bench', model: 'gpt-4o-mini' };

/**
 * p50/p99 wall-clock µs of evaluating `text` at the input stage (300 ms of warm-up, then up to 2,000 runs or
 * 1.5 s), and the mean CPU µs per run (process CPU time: not inflated by waiting for a core on a
 * loaded machine, unlike the wall-clock percentiles).
 */
export function measure(set: CompiledPolicySet, text: string): { p50: number; p99: number; cpu: number; runs: number } {
  const run = () => {
    const r = set.evaluate('input', [text], ctx);
    if (r instanceof Promise) throw new Error('default policy must evaluate synchronously');
  };
  // Warm-up until the JIT has optimised the checks (a gateway runs them warm): 300 ms and at least 200 runs.
  const warmUntil = process.hrtime.bigint() + 300_000_000n;
  for (let i = 0; i < 200 || process.hrtime.bigint() < warmUntil; i++) run();
  const samples: number[] = [];
  const budgetNs = 1.5e9;
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  while (samples.length < 2000 && (samples.length < 50 || Number(process.hrtime.bigint() - started) < budgetNs)) {
    const t0 = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const cpu = process.cpuUsage(cpu0);
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { p50: at(0.5), p99: at(0.99), cpu: (cpu.user + cpu.system) / samples.length, runs: samples.length };
}

