import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './app-process';

const run = promisify(execFile);

/**
 * The Python interpreter of a venv under .cache/pyvenv holding the pinned official SDKs of
 * test/python/requirements.txt. Created from scratch when missing or when the pins changed
 * (.ci/run creates it before the suite; this keeps a fresh clone's `npm test` working too).
 */
export async function pythonWithSdks(): Promise<string> {
  const root = repoRoot();
  const venv = join(root, '.cache', 'pyvenv');
  const python = join(venv, 'bin', 'python');
  const requirements = join(root, 'test', 'python', 'requirements.txt');
  const marker = join(venv, 'gatehouse-requirements.txt');
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return python;
  await run('python3', ['-m', 'venv', '--clear', venv]);
  await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements], { timeout: 600_000 });
  writeFileSync(marker, wanted);
  return python;
}

/** Runs a script of test/python with the given environment; resolves with its parsed JSON stdout. */
export async function runPythonScript(name: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const python = await pythonWithSdks();
  try {
    const { stdout } = await run(python, [join(repoRoot(), 'test', 'python', name)], { env: { ...process.env, ...env }, timeout: 60_000 });
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${name} failed: ${err.message}\n${err.stderr ?? ''}`);
  }
}
