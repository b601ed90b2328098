'use strict';
// Starts a throwaway redis-server on a free 127.0.0.1 port, no persistence, in a fresh temp dir.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const Redis = require('ioredis');
const { requireExecutable, freePort, makeTempDir, sleep, stopPid, tail } = require('./process-tools');

const START_TIMEOUT_MS = 10000;

async function answersPing(port) {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Starts redis-server (on opts.port, else a free port) and resolves once it answers PING.
 * @param {{port?: number}} [opts]
 * @returns {Promise<{url: string, port: number, pid: number, dir: string, stop: () => Promise<void>, restart: (downMs?: number) => Promise<void>}>}
 */
async function startRedis(opts = {}) {
  const server = requireExecutable('redis-server', 'install it (apt-get install -y redis-server) or set REDIS_URL=redis://host:port');
  const dir = makeTempDir('redis');
  const port = opts.port || (await freePort());
  const logFile = path.join(dir, 'redis.log');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes', '--logfile', logFile];
  let child;
  let exited = null;
  const launch = () => {
    child = spawn(server, args, { cwd: dir, stdio: 'ignore' });
    child.unref();
    exited = null;
    child.once('exit', (code, signal) => {
      exited = signal || code;
    });
    child.once('error', (err) => {
      exited = err.message;
    });
  };
  launch();

  const stop = async () => {
    await stopPid(child.pid, 3000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const waitReady = async () => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await answersPing(port))) {
      if (exited !== null || Date.now() > deadline) {
        const why = exited !== null ? `exited (${exited})` : `not answering PING after ${START_TIMEOUT_MS} ms`;
        const log = tail(logFile);
        await stop();
        throw new Error(`redis-server ${why}. Log tail:\n${log}`);
      }
      await sleep(50);
    }
  };
  await waitReady();
  /** Stops redis-server, keeps it down `downMs`, starts it again on the same port (empty: no persistence). */
  const restart = async (downMs = 0) => {
    await stopPid(child.pid, 3000);
    await sleep(downMs);
    launch();
    await waitReady();
  };
  return { url: `redis://127.0.0.1:${port}`, port, get pid() { return child.pid; }, dir, stop, restart };
}

module.exports = { startRedis };
