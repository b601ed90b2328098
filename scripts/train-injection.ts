/**
 * Trains the prompt-injection classifier and writes it to libs/guardrails/src/injection/model/
 * (model.json + weights.bin). Deterministic: the same data file gives the same weights.
 *
 * Run: npm run train:injection [-- --data path/to/injection-train.jsonl]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckSchema } from '@gatehouse/contracts';
import { DEFAULT_DATA, loadDataset } from '@gatehouse/guardrails/injection/dataset';
import { generatedExamples } from '@gatehouse/guardrails/injection/generated-examples';
import { InjectionScorer } from '@gatehouse/guardrails/injection/model';
import { classifierMetrics } from '@gatehouse/guardrails/injection/metrics';
import { DEFAULT_TRAIN_OPTIONS, serializeModel, trainModel } from '@gatehouse/guardrails/injection/train';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dataFile = arg('data') ?? DEFAULT_DATA;
const outDir = arg('out') ?? join(process.cwd(), 'libs/guardrails/src/injection/model');
const threshold = (CheckSchema.parse({ type: 'prompt_injection' }) as { threshold: number }).threshold;

const data = loadDataset(dataFile);
const generated = generatedExamples();
const examples = [...data.train, ...generated];
console.log(`data: ${data.path} (sha256 ${data.sha256.slice(0, 16)}…)`);
console.log(`held-out sources filtered out: ${JSON.stringify(data.heldOut)}; duplicates dropped: ${data.duplicates}`);
console.log(`train: ${data.train.length} rows + ${generated.length} generated; dev: ${data.dev.length} rows`);
const started = Date.now();
const model = trainModel(examples, DEFAULT_TRAIN_OPTIONS);
const scorer = new InjectionScorer(model);
const scoreText = (text: string): number => scorer.score(text);
const dev = classifierMetrics(data.dev.map((e) => ({ label: e.label === 'injection', score: scoreText(e.text) })), threshold);
console.log(`trained in ${((Date.now() - started) / 1000).toFixed(1)} s; dev at threshold ${threshold}: ${JSON.stringify(dev)}`);
const trained = {
  data: { file: 'injection-train.jsonl', sha256: data.sha256, train_rows: data.train.length, dev_rows: data.dev.length, generated_rows: generated.length, held_out_filtered: data.heldOut },
  options: DEFAULT_TRAIN_OPTIONS,
  dev_at_default_threshold: { threshold, ...dev },
};
const files = serializeModel({ meta: { ...model.meta, trained }, weights: model.weights });
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'model.json'), files.json);
writeFileSync(join(outDir, 'weights.bin'), files.bin);
console.log(`wrote ${outDir}/model.json and weights.bin (${(files.bin.length / 1024).toFixed(0)} KB)`);
