'use strict';
// Jest setupFiles (integration project): points this test file at the Kafka broker and Redis of its
// jest worker (global-setup.js starts one of each per worker), so files running at the same time on
// two workers never share a consumer group, a topic or a Redis.
const byWorker = process.env.GATEHOUSE_TEST_SERVICES_BY_WORKER;
if (byWorker) {
  const services = JSON.parse(byWorker);
  const id = Number(process.env.JEST_WORKER_ID) || 1;
  const mine = services[(id - 1) % services.length];
  for (const [name, value] of Object.entries(mine)) if (value) process.env[name] = value;
}
