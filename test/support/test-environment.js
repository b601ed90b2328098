'use strict';
// The integration/e2e test environment: Node's, plus one duty at the end of every test file, after
// all of its own afterAll hooks ran: stop the app processes it started and left running (SIGTERM,
// SIGKILL after 5 s), and say which. Jest runs test files one after another in one long-lived
// worker, so a forgotten process would otherwise live on into the next files — for instance as a
// member of the analytics consumer group, taking partitions (and their traces) away from the next
// file's analytics process. test/support/app-process.ts registers its processes in the file's
// global under APPS_KEY.
const { TestEnvironment } = require('jest-environment-node');

const APPS_KEY = '__gatehouseRunningApps';

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

class GatehouseTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async teardown() {
    const apps = this.global[APPS_KEY];
    // The map was made in the file's realm: not an instance of this realm's Map.
    if (apps && typeof apps.entries === 'function' && apps.size > 0) {
      const left = [...apps.entries()];
      await Promise.all(left.map(([child]) => stop(child)));
      process.stderr.write(`[test-environment] ${this.testPath} left ${left.map(([c, app]) => `${app} (pid ${c.pid})`).join(', ')} running; stopped\n`);
    }
    await super.teardown();
  }
}

module.exports = GatehouseTestEnvironment;
module.exports.APPS_KEY = APPS_KEY;
