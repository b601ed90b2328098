'use strict';
// Jest globalSetup (integration project): starts Kafka and Redis unless KAFKA_BROKERS / REDIS_URL
// point at running ones, exports their addresses to the test workers, and records what it started
// in .cache/test-services.json so global-teardown.js (or the next run, after a crash) can stop it.
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

module.exports = async function globalSetup() {
  await stopLeftovers();
  const wantKafka = !process.env.KAFKA_BROKERS;
  const wantRedis = !process.env.REDIS_URL;
  const settled = await Promise.allSettled([wantKafka ? startKafka() : null, wantRedis ? startRedis() : null]);
  const [kafka, redis] = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
  const failures = settled.filter((s) => s.status === 'rejected').map((s) => s.reason);
  if (failures.length > 0) {
    await Promise.all([kafka, redis].filter(Boolean).map((s) => s.stop()));
    throw new Error(`integration services failed to start:\n${failures.map((e) => `- ${e.message}`).join('\n')}`);
  }

  const started = {};
  if (kafka) {
    process.env.KAFKA_BROKERS = kafka.brokers;
    started.kafka = { pid: kafka.pid, dir: kafka.dir, brokers: kafka.brokers };
  }
  if (redis) {
    process.env.REDIS_URL = redis.url;
    started.redis = { pid: redis.pid, dir: redis.dir, url: redis.url };
  }
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  fs.writeFileSync(STATE_FILE, `${JSON.stringify({ owner: process.pid, started }, null, 2)}\n`);
  globalThis.__GATEHOUSE_TEST_SERVICES__ = [kafka, redis].filter(Boolean);
};
