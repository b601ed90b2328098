import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port';

export type AppName = 'ingress' | 'guard' | 'analytics' | 'standalone';

export interface StartAppOptions {
  /** Extra environment; a blank value unsets an inherited variable (the config loader ignores blanks). */
  env?: Record<string, string>;
  port?: number;
  readyTimeoutMs?: number;
  /** Another build's dist directory (benchmarks comparing two builds); default <repo>/dist. */
  distDir?: string;
}

export interface AppProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (the last 2 MB). */
  logs(): string;
  /** Sends the signal and resolves with the exit code (null when it died of a signal). */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGTERM, then SIGKILL after 5 s; also removes the temp data dir it created. */
  stop(): Promise<void>;
}

export interface AppRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const MAX_LOG_CHARS = 2 * 1024 * 1024;
/** A process in `running`: its app and how to stop it (SIGTERM, SIGKILL after 5 s; its temp data dir removed). */
interface RunningApp {
  app: AppName;
  stop(): Promise<void>;
}

/**
 * App processes started by this test file and not yet exited. Kept in the file's global, where
 * test/support/test-environment.js stops those still running before a retry and when the file ends.
 */
const running: Map<ChildProcess, RunningApp> = ((globalThis as Record<string, unknown>).__gatehouseRunningApps ??= new Map()) as Map<ChildProcess, RunningApp>;

/** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
async function terminate(child: ChildProcess, exit: Promise<unknown>): Promise<void> {
  if (exited(child)) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exit;
  clearTimeout(timer);
}
process.once('exit', () => {
  for (const child of running.keys()) child.kill('SIGKILL');
});

/** The repository root: the nearest folder above this file whose package.json is named "gatehouse" (works from test/ and dist/test/). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'gatehouse') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no gatehouse package.json above ${__dirname}`);
    dir = parent;
  }
}

function appEntry(root: string, app: AppName, distDir = join(root, 'dist')): string {
  const entry = join(distDir, 'apps', app, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run \`npm run build\` first`);
  return entry;
}

function appendCapped(buffer: string, chunk: string): string {
  const next = buffer + chunk;
  return next.length > MAX_LOG_CHARS ? next.slice(next.length - MAX_LOG_CHARS) : next;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (exited(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readyzStatus(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

/**
 * Spawns `node dist/apps/<app>/main.js` from the repository root and resolves once GET /readyz answers 200.
 * Defaults (each overridable through opts.env): PORT, HOST=127.0.0.1, LOG_LEVEL=warn, GATEHOUSE_WORKERS=1,
 * and GATEHOUSE_DATA_DIR = a fresh temp dir (removed by stop()). Other variables are inherited, including
 * KAFKA_BROKERS and REDIS_URL from the integration global setup.
 */
export async function startApp(app: AppName, opts: StartAppOptions = {}): Promise<AppProcess> {
  const root = repoRoot();
  const entry = appEntry(root, app, opts.distDir);
  const port = opts.port ?? (await freePort());
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30000;
  const dataDir = opts.env?.GATEHOUSE_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), `gatehouse-${app}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    GATEHOUSE_WORKERS: '1',
    ...(dataDir ? { GATEHOUSE_DATA_DIR: dataDir } : {}),
    ...opts.env,
    PORT: String(port),
  };
  const child = spawn(process.execPath, [entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output = appendCapped(output, chunk)));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output = appendCapped(output, chunk)));
  const exitPromise = waitForExit(child).then((code) => {
    running.delete(child);
    return code;
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  const url = `http://127.0.0.1:${port}`;
  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (!exited(child)) child.kill(signal);
    return exitPromise;
  };
  const stop = async (): Promise<void> => {
    await terminate(child, exitPromise);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  running.set(child, { app, stop });

  const deadline = Date.now() + readyTimeoutMs;
  let lastStatus: number | undefined;
  for (;;) {
    if (spawnError || exited(child)) {
      await stop();
      const why = spawnError ? `could not start: ${spawnError.message}` : `exited with ${child.exitCode ?? child.signalCode} before it was ready`;
      throw new Error(`${app} ${why}\n--- log tail ---\n${output.slice(-4000)}`);
    }
    lastStatus = await readyzStatus(url);
    if (lastStatus === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${app} not ready after ${readyTimeoutMs} ms (last /readyz: ${lastStatus ?? 'no answer'})\n--- log tail ---\n${output.slice(-4000)}`);
    }
    await sleep(100);
  }

  return { url, port, pid: child.pid ?? -1, child, logs: () => output, kill, stop };
}

/** Runs an app to completion (for fail-fast start-up checks), with the same defaults as startApp; kills it and rejects after timeoutMs. */
export function runApp(app: AppName, env: Record<string, string> = {}, timeoutMs = 30000): Promise<AppRun> {
  const root = repoRoot();
  const entry = appEntry(root, app);
  const dataDir = env.GATEHOUSE_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), `gatehouse-${app}-`));
  const cleanup = () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', GATEHOUSE_WORKERS: '1', ...(dataDir ? { GATEHOUSE_DATA_DIR: dataDir } : {}), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const closed = new Promise((r) => child.once('close', r));
    running.set(child, { app, stop: () => terminate(child, closed) });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout = appendCapped(stdout, chunk)));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = appendCapped(stderr, chunk)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} still running after ${timeoutMs} ms\n--- stdout ---\n${stdout.slice(-2000)}\n--- stderr ---\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      cleanup();
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      cleanup();
      resolve({ code, stdout, stderr });
    });
  });
}
