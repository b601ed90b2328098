import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../test/support/app-process';
import type { Plan } from './loadgen';


export interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      children.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts `node <script> ...args` (path relative to dist/) and resolves with the URL it prints as "... listening on <url>". */
export function spawnListening(script: string, args: string[]): Promise<Child> {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout?.off('data', onData);
        resolve({ url: m[1], pid: child.pid!, stop: () => stopChild(child) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening:\n${out.slice(-2000)}`)));
  });
}

/** Runs one load-generator phase in a child process and returns its parsed result; its progress lines go to our stderr. */
export function runLoadgen<T>(plan: Plan): Promise<T> {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'bench', 'support', 'loadgen.js'), JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    // 'close', not 'exit': the result line may still be in the pipe when the process has exited.
    child.once('close', (code) => {
      children.delete(child);
      if (code !== 0) reject(new Error(`load generator (${plan.phase}) exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? 'null') as T);
    });
  });
}

interface KafkaHandle {
  brokers: string;
  /** The broker's process when this run started it. */
  pid?: number;
  stop(): Promise<void>;
}

/** REDIS_URL when set, else a throwaway redis-server on loopback (test/support/services/redis.js). */
export async function redisUrl(): Promise<{ url: string; stop(): Promise<void> }> {
  const existing = process.env.REDIS_URL;
  if (existing) return { url: existing, stop: async () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startRedis } = require(join(repoRoot(), 'test', 'support', 'services', 'redis.js')) as { startRedis(): Promise<{ url: string; stop(): Promise<void> }> };
  return startRedis();
}

/** KAFKA_BROKERS when set; otherwise a throwaway broker from test/support/services/kafka.js. */
export async function kafkaBrokers(): Promise<KafkaHandle> {
  const existing = process.env.KAFKA_BROKERS;
  if (existing) return { brokers: existing, stop: async () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startKafka } = require(join(repoRoot(), 'test', 'support', 'services', 'kafka.js')) as { startKafka(): Promise<KafkaHandle> };
  return startKafka();
}
