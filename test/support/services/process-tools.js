'use strict';
// Helpers shared by the service launchers: executables on PATH, free ports, temp dirs, process stop.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function findExecutable(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return null;
}

function requireExecutable(name, hint) {
  const found = findExecutable(name);
  if (!found) throw new Error(`${name} not found on PATH: ${hint}`);
  return found;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function makeTempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gatehouse-${prefix}-`));
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL once graceMs has passed; resolves when the process is gone. */
async function stopPid(pid, graceMs = 5000) {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isAlive(pid)) await sleep(20);
}

/** Waits for the child to exit (returns its code) or gives up after ms (returns undefined). */
function exitWithin(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** True when the process runs in dir or names it on its command line (redis-server rewrites its title, so cwd counts too). */
function startedFrom(pid, dir) {
  try {
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    if (cwd === dir || cwd === `${dir} (deleted)`) return true;
  } catch {
    // no such process, or not ours to inspect
  }
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}

/** Stops a service recorded by an earlier setup, only if its pid still runs from its own temp dir. */
async function stopRecorded(service) {
  if (!service || !Number.isInteger(service.pid) || typeof service.dir !== 'string') return;
  if (startedFrom(service.pid, service.dir)) await stopPid(service.pid, 5000);
  if (path.basename(service.dir).startsWith('gatehouse-')) fs.rmSync(service.dir, { recursive: true, force: true });
}

function tail(file, maxChars = 4000) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-maxChars);
  } catch {
    return '';
  }
}

module.exports = { repoRoot, findExecutable, requireExecutable, freePort, makeTempDir, isAlive, sleep, stopPid, stopRecorded, exitWithin, tail };
