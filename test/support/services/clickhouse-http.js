'use strict';
// Starts clickhouse-http-server.js (a ClickHouse HTTP endpoint on chDB) as a child process on a free
// 127.0.0.1 port with a fresh data dir; the fault suite points CLICKHOUSE_URL at it and makes it
// unavailable with close() / open(), or hung with hang() / resume().
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { freePort, makeTempDir } = require('./process-tools');

const START_TIMEOUT_MS = 30000;

/** Sends one IPC command and resolves with the server's answer (rejects on a failed one). */
function command(child, op) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (!m || m.op !== op) return;
      child.off('message', onMessage);
      if (m.ok) resolve();
      else reject(new Error(`clickhouse-http ${op} failed: ${m.error}`));
    };
    child.on('message', onMessage);
    child.send({ op });
  });
}

/**
 * @returns {Promise<{url: string, pid: number, close: () => Promise<void>, open: () => Promise<void>, hang: () => Promise<void>, hangInserts: () => Promise<void>, resume: () => Promise<void>, stop: () => Promise<void>}>}
 */
async function startClickHouseHttp() {
  const dir = makeTempDir('clickhouse-http');
  const port = await freePort();
  let output = '';
  const child = fork(path.join(__dirname, 'clickhouse-http-server.js'), [path.join(dir, 'data'), String(port)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout.setEncoding('utf8').on('data', (c) => (output = (output + c).slice(-4000)));
  child.stderr.setEncoding('utf8').on('data', (c) => (output = (output + c).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`clickhouse-http not ready after ${START_TIMEOUT_MS} ms\n${output}`)), START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`clickhouse-http exited with ${code} before it was ready\n${output}`));
    });
    child.on('message', (m) => {
      if (m && m.ready) {
        clearTimeout(timer);
        resolve();
      }
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    close: () => command(child, 'close'),
    open: () => command(child, 'open'),
    hang: () => command(child, 'hang'),
    hangInserts: () => command(child, 'hang-inserts'),
    resume: () => command(child, 'resume'),
    stop,
  };
}

module.exports = { startClickHouseHttp };
