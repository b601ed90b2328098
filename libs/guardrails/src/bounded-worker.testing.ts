import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Test support: runs guardrail checks in a worker thread so that a check that never returns (a
 * backtracking regex) fails the test at `boundMs` instead of hanging the test process. The worker
 * loads the TypeScript sources with @swc/core (as jest does) and resolves `@gatehouse/<lib>/<file>`.
 */
const ROOT = resolve(__dirname, '../../..');

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const swc = require('@swc/core');
const root = workerData.root;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@gatehouse\/([a-z-]+)(?:\/(.*))?$/.exec(request);
  if (m) request = path.join(root, 'libs', m[1], 'src', m[2] ?? 'index');
  if (request.startsWith('.') || request.startsWith('/')) {
    const base = request.startsWith('/') ? request : path.resolve(path.dirname(parent.filename), request);
    if (fs.existsSync(base + '.ts')) request = base + '.ts';
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
Module._extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' }, module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const { createCheck } = require(path.join(root, 'libs/guardrails/src/registry.ts'));
const { CheckSchema } = require(path.join(root, 'libs/contracts/src/policy.ts'));
const ctx = { requestId: 'r', team: null, keyId: null, model: 'm', maxTokens: 16 };
parentPort.on('message', ({ check, text, stage }) => {
  try {
    const compiled = createCheck(CheckSchema.parse(check));
    const t0 = performance.now();
    compiled.evaluate({ stage, texts: [text] }, ctx);
    parentPort.postMessage({ ms: performance.now() - t0, error: null });
  } catch (err) {
    parentPort.postMessage({ ms: 0, error: String(err && err.message || err) });
  }
});
`;

export interface BoundedCase {
  readonly name: string;
  readonly check: Record<string, unknown>;
  readonly text: string;
  readonly stage?: 'input' | 'output';
}

export interface BoundedResult {
  readonly name: string;
  /** Time the check took, or null when it did not finish within the bound (the worker was killed). */
  readonly ms: number | null;
  /** What the check threw, if it did. */
  readonly error: string | null;
}

/** Evaluates the cases one by one; a case past `boundMs` is reported with ms=null and the worker restarted. */
export async function runBounded(cases: readonly BoundedCase[], boundMs: number): Promise<BoundedResult[]> {
  const results: BoundedResult[] = [];
  let worker: Worker | null = null;
  try {
    for (const c of cases) {
      if (!worker) {
        worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root: ROOT } });
        await evaluateIn(worker, { name: 'warm-up', check: { type: 'max_tokens', max: 1 }, text: 'warm up' }, 60_000);
      }
      const w = worker;
      const outcome = await evaluateIn(w, c, boundMs);
      if (outcome === null) {
        await w.terminate();
        worker = null;
      }
      results.push({ name: c.name, ms: outcome?.ms ?? null, error: outcome?.error ?? null });
    }
  } finally {
    await worker?.terminate();
  }
  return results;
}

function evaluateIn(w: Worker, c: BoundedCase, boundMs: number): Promise<{ ms: number; error: string | null } | null> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => done(null), boundMs);
    const cleanup = () => {
      clearTimeout(timer);
      w.removeAllListeners('message');
      w.removeAllListeners('error');
    };
    w.once('message', (m: { ms: number; error: string | null }) => {
      cleanup();
      done(m);
    });
    w.once('error', (err) => {
      cleanup();
      fail(err);
    });
    w.postMessage({ check: c.check, text: c.text, stage: c.stage ?? 'input' });
  });
}
