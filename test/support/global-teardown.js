'use strict';
// Jest globalTeardown: stops only what global-setup.js started (never services given through env).
const fs = require('node:fs');
const path = require('node:path');
const { repoRoot, stopRecorded } = require('./services/process-tools');

const STATE_FILE = path.join(repoRoot, '.cache', 'test-services.json');

module.exports = async function globalTeardown() {
  const services = globalThis.__GATEHOUSE_TEST_SERVICES__;
  if (Array.isArray(services)) {
    await Promise.all(services.map((s) => s.stop()));
  } else {
    let state;
    try {
      state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
    } catch {
      return;
    }
    await Promise.all(Object.values(state.started || {}).map(stopRecorded));
  }
  globalThis.__GATEHOUSE_TEST_SERVICES__ = undefined;
  fs.rmSync(STATE_FILE, { force: true });
};
