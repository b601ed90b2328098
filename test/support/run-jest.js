#!/usr/bin/env node
'use strict';
// Runs jest with the given arguments, streams its output, writes .cache/jest-results.json and
// prints one final line "tests: N passed, N failed". Exits with jest's code (non-zero on any failure).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const resultsFile = path.join(root, '.cache', 'jest-results.json');
const jestBin = path.join(root, 'node_modules', '.bin', 'jest');

/** Counts from jest's --json output; suites that failed to run count as at least one failure. */
function summarize(results) {
  const passed = results.numPassedTests || 0;
  let failed = results.numFailedTests || 0;
  if (failed === 0 && ((results.numFailedTestSuites || 0) > 0 || results.numRuntimeErrorTestSuites > 0 || results.success === false)) failed = 1;
  return { passed, failed };
}

/** Tests that failed at first and passed on a retry (jest.retryTimes in test/support/jest-retry.js): "file › title (n runs)". */
function retried(results, root = '') {
  const out = [];
  for (const file of results.testResults || []) {
    for (const t of file.assertionResults || []) {
      if (t.status === 'passed' && (t.invocations || 1) > 1) out.push(`${path.relative(root, file.name)} › ${t.fullName} (${t.invocations} runs)`);
    }
  }
  return out;
}

/**
 * Two jest workers, each with a Kafka broker and a Redis of its own (test/support/global-setup.js):
 * most integration time is waiting (processes starting, consumer groups joining), so two files at
 * once take about 60 % of the time of one after another. One worker when the caller chose (-i,
 * --runInBand, --maxWorkers, -w) or when KAFKA_BROKERS / REDIS_URL name services the workers would
 * have to share.
 */
function workerArgs(args, env = process.env) {
  if (args.some((a) => /^(-i|--runInBand|-w|--maxWorkers)(=|$)/.test(a))) return [];
  return env.KAFKA_BROKERS || env.REDIS_URL ? ['--maxWorkers=1'] : ['--maxWorkers=2'];
}

function main() {
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.rmSync(resultsFile, { force: true });
  const given = process.argv.slice(2);
  const args = [...given, ...workerArgs(given), '--json', `--outputFile=${resultsFile}`];
  const child = spawn(jestBin, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    process.stderr.write(`could not run jest (${jestBin}): ${err.message}\n`);
    process.stdout.write('tests: 0 passed, 1 failed\n');
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    let summary;
    try {
      const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
      summary = summarize(results);
      const flaky = retried(results, root);
      if (flaky.length > 0) process.stdout.write(`passed only on retry (flaky, ${flaky.length}):\n${flaky.map((f) => `  ${f}\n`).join('')}`);
    } catch {
      process.stderr.write(`jest wrote no results to ${resultsFile} (exit ${signal || code})\n`);
      summary = { passed: 0, failed: 1 };
    }
    process.stdout.write(`tests: ${summary.passed} passed, ${summary.failed} failed\n`);
    const exitCode = code ?? 1;
    process.exit(exitCode !== 0 ? exitCode : summary.failed > 0 ? 1 : 0);
  });
}

if (require.main === module) main();

module.exports = { summarize, retried, workerArgs };
