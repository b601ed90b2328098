/**
 * Evaluates the guardrail checks and prints one table: precision, recall, F1 and false-positive
 * rate per check and per PII entity type, on the dev split of the injection training data and on
 * the labelled tables written for Gatehouse; then the inline cost of the default policy in µs/KB.
 *
 * Run: npm run eval:guardrails [-- --data path/to/injection-train.jsonl]
 */
import { cpus, loadavg } from 'node:os';
import { CheckSchema } from '@gatehouse/contracts';
import type { GuardCheck } from '@gatehouse/guardrails/check';
import { createPiiCheck } from '@gatehouse/guardrails/checks/pii.check';
import { PII_TABLE_REGIONS, PII_TABLES } from '@gatehouse/guardrails/checks/pii.table';
import { createPromptInjectionCheck, scoreText } from '@gatehouse/guardrails/checks/prompt-injection.check';
import { INJECTION_TABLE, rowTexts } from '@gatehouse/guardrails/checks/prompt-injection.table';
import { DEFAULT_DATA, loadDataset } from '@gatehouse/guardrails/injection/dataset';
import { classifierMetrics, type ClassifierMetrics } from '@gatehouse/guardrails/injection/metrics';
import { defaultPolicySet, KB, measure, realistic } from '../bench/support/guardrail-cost';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ctx = { requestId: 'eval', team: null, keyId: null, model: 'eval' };
const fails = (check: GuardCheck, texts: string[]): boolean => {
  const v = check.evaluate({ stage: 'input', texts }, ctx);
  if (v instanceof Promise) throw new Error('inline checks are synchronous');
  return !v.pass;
};

const rows: string[][] = [['check / entity', 'data', 'rows', 'pos', 'precision', 'recall', 'F1', 'FP rate', 'bal. acc.']];
const add = (name: string, data: string, positives: number, m: ClassifierMetrics) =>
  rows.push([name, data, String(m.n), String(positives), m.precision.toFixed(3), m.recall.toFixed(3), m.f1.toFixed(3), m.fpr.toFixed(3), m.balanced_accuracy.toFixed(3)]);

const injection = CheckSchema.parse({ type: 'prompt_injection' }) as Extract<ReturnType<typeof CheckSchema.parse>, { type: 'prompt_injection' }>;
const check = createPromptInjectionCheck(injection);
const data = loadDataset(arg('data') ?? DEFAULT_DATA);
const dev = data.dev.map((e) => ({ label: e.label === 'injection', text: e.text }));
const devPositives = dev.filter((r) => r.label).length;
add('prompt_injection', 'dev split', devPositives, classifierMetrics(dev.map((r) => ({ label: r.label, score: fails(check, [r.text]) ? 1 : 0 })), 0.5));
add('  classifier alone', 'dev split', devPositives, classifierMetrics(dev.map((r) => ({ label: r.label, score: scoreText(r.text).classifier })), injection.threshold));
const table = INJECTION_TABLE.map((r) => ({ label: r.label !== null, score: fails(check, rowTexts(r.text)) ? 1 : 0 }));
add('prompt_injection', 'labelled table', table.filter((r) => r.label).length, classifierMetrics(table, 0.5));

const pii = createPiiCheck(CheckSchema.parse({ type: 'pii', phone_regions: PII_TABLE_REGIONS }) as never);
const all: { label: boolean; score: number }[] = [];
for (const [entity, labelled] of PII_TABLES) {
  const scored = labelled.map((r) => {
    const v = pii.evaluate({ stage: 'input', texts: [r.text] }, ctx);
    if (v instanceof Promise) throw new Error('pii is synchronous');
    return { label: r.label === entity, score: v.details.includes(entity) ? 1 : 0 };
  });
  all.push(...scored);
  add(`pii: ${entity}`, 'labelled table', scored.filter((r) => r.label).length, classifierMetrics(scored, 0.5));
}
add('pii (all entities)', 'labelled tables', all.filter((r) => r.label).length, classifierMetrics(all, 0.5));

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const print = (table: string[][], w: number[]) => table.forEach((r) => console.log(r.map((cell, c) => (c <= 1 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ')));
console.log(`guardrails eval: prompt_injection at the default threshold ${injection.threshold}; data ${data.path} (dev split: ${dev.length} rows; held-out sources filtered: ${JSON.stringify(data.heldOut)})`);
print(rows, widths);

const set = defaultPolicySet();
const cost: string[][] = [['default policy (pii + secrets + prompt_injection)', 'p50 µs', 'p99 µs', 'p50 µs/KB', 'p99 µs/KB', 'CPU µs/KB']];
for (const kb of [1, 10, 100]) {
  const { p50, p99, cpu } = measure(set, realistic(kb * KB));
  cost.push([`mixed ${kb} KB`, p50.toFixed(0), p99.toFixed(0), (p50 / kb).toFixed(1), (p99 / kb).toFixed(1), (cpu / kb).toFixed(1)]);
}
console.log(`\ncost: node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
print(cost, cost[0].map((_, c) => Math.max(...cost.map((r) => r[c].length))));
