'use strict';
// The integration/e2e test environment: Node's, plus two duties about the app processes that
// test/support/app-process.ts starts (it registers them in the file's global under APPS_KEY):
// - before a failed test is retried (test/support/jest-retry.js), stop the processes its failed
//   attempt started and left running: an attempt that timed out never reached its own clean-up,
//   and its processes would hold what the retry needs (a chDB data directory, partitions of a
//   consumer group);
// - when the test file ends, after all of its own afterAll hooks, stop the processes it left
//   running. Each jest worker runs test files one after another (on its own Kafka broker and
//   Redis, test/support/worker-services.js), so a forgotten process would otherwise live on into
//   the worker's next files — for instance as a member of the analytics consumer group, taking
//   partitions (and their traces) away from the next file's analytics process.
// Each is stopped by its own stop() (SIGTERM, SIGKILL after 5 s, its temp data dir removed) and
// named on stderr.
const { TestEnvironment } = require('jest-environment-node');

const APPS_KEY = '__gatehouseRunningApps';

class GatehouseTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    /** Per test: the processes running when its latest attempt started. */
    this.before = new Map();
    /** Per test: the processes its latest attempt started. */
    this.startedBy = new Map();
  }

  /** The running app processes: [child, { app, stop }] (the map was made in the file's realm, so no instanceof). */
  apps() {
    const apps = this.global[APPS_KEY];
    return apps && typeof apps.entries === 'function' ? [...apps.entries()] : [];
  }

  async stopAll(entries, why) {
    if (entries.length === 0) return;
    await Promise.all(entries.map(([, running]) => running.stop()));
    process.stderr.write(`[test-environment] ${this.testPath}: ${why}: ${entries.map(([c, { app }]) => `${app} (pid ${c.pid})`).join(', ')}; stopped\n`);
  }

  async handleTestEvent(event) {
    if (event.name === 'test_start') {
      this.before.set(event.test, new Set(this.apps().map(([child]) => child)));
    } else if (event.name === 'test_done') {
      const before = this.before.get(event.test) ?? new Set();
      this.startedBy.set(event.test, new Set(this.apps().map(([child]) => child).filter((c) => !before.has(c))));
    } else if (event.name === 'test_retry') {
      const mine = this.startedBy.get(event.test) ?? new Set();
      await this.stopAll(this.apps().filter(([child]) => mine.has(child)), `the failed attempt of "${event.test.name}" left them running before its retry`);
    }
  }

  async teardown() {
    await this.stopAll(this.apps(), 'the file left them running');
    await super.teardown();
  }
}

module.exports = GatehouseTestEnvironment;
module.exports.APPS_KEY = APPS_KEY;
