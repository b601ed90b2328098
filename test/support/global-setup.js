'use strict';
// Jest globalSetup (integration project): starts Kafka and Redis unless KAFKA_BROKERS / REDIS_URL
// point at running ones, exports their addresses to the test workers, and records what it started
// in .cache/test-services.json so global-teardown.js (or the next run, after a crash) can stop it.
// With several jest workers each worker gets a broker and a Redis of its own (worker-services.js
// picks them by JEST_WORKER_ID): the apps of two files running at once would otherwise join the same
// consumer groups (gatehouse-analytics, ...) and take each other's traces.
const fs = require('node:fs');
const path = require('node:path');
const { startKafka } = require('./services/kafka');
const { startRedis } = require('./services/redis');
const { repoRoot, isAlive, stopRecorded } = require('./services/process-tools');

const STATE_FILE = path.join(repoRoot, '.cache', 'test-services.json');

/** Stops services a crashed earlier run left behind; a run whose jest process is still alive is left alone. */
async function stopLeftovers() {
  let previous;
  try {
    previous = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return;
  }
  if (Number.isInteger(previous.owner) && isAlive(previous.owner)) return;
  await Promise.all(Object.values(previous.started || {}).map(stopRecorded));
  fs.rmSync(STATE_FILE, { force: true });
}

/** One Kafka and one Redis per jest worker (what env does not give); stops what did start when any fails. */
async function startServices(workers) {
  const wantKafka = !process.env.KAFKA_BROKERS;
  const wantRedis = !process.env.REDIS_URL;
  const pending = [];
  for (let i = 0; i < workers; i++) pending.push(wantKafka ? startKafka() : null, wantRedis ? startRedis() : null);
  const settled = await Promise.allSettled(pending);
  const values = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
  const failures = settled.filter((s) => s.status === 'rejected').map((s) => s.reason);
  if (failures.length > 0) {
    await Promise.all(values.filter(Boolean).map((s) => s.stop()));
    throw new Error(`integration services failed to start:\n${failures.map((e) => `- ${e.message}`).join('\n')}`);
  }
  const perWorker = [];
  for (let i = 0; i < workers; i++) perWorker.push({ kafka: values[2 * i], redis: values[2 * i + 1] });
  return perWorker;
}

module.exports = async function globalSetup(globalConfig) {
  await stopLeftovers();
  // Services given through env are shared by every worker: run-jest.js runs one worker then.
  const workers = Math.max(1, Number(globalConfig?.maxWorkers) || 1);
  const perWorker = await startServices(workers);

  const started = {};
  perWorker.forEach(({ kafka, redis }, i) => {
    if (kafka) started[`kafka${i + 1}`] = { pid: kafka.pid, dir: kafka.dir, brokers: kafka.brokers };
    if (redis) started[`redis${i + 1}`] = { pid: redis.pid, dir: redis.dir, url: redis.url };
  });
  const addresses = perWorker.map(({ kafka, redis }) => ({
    KAFKA_BROKERS: kafka ? kafka.brokers : process.env.KAFKA_BROKERS,
    REDIS_URL: redis ? redis.url : process.env.REDIS_URL,
  }));
  // Worker 1's services are the default for anything that reads the env directly.
  Object.assign(process.env, addresses[0], { GATEHOUSE_TEST_SERVICES_BY_WORKER: JSON.stringify(addresses) });
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  fs.writeFileSync(STATE_FILE, `${JSON.stringify({ owner: process.pid, started }, null, 2)}\n`);
  globalThis.__GATEHOUSE_TEST_SERVICES__ = perWorker.flatMap(({ kafka, redis }) => [kafka, redis]).filter(Boolean);
};
