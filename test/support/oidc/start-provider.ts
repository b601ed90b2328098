import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../free-port';

export interface TestProvider {
  issuer: string;
  logs(): string;
  stop(): Promise<void>;
}

export interface ProviderSpec {
  client_id: string;
  client_secret: string;
  redirect_uri: string;
  accounts: Record<string, { email: string; groups: string[] }>;
}

/** Starts test/support/oidc/provider.mjs (oidc-provider, an ES module) in its own Node process and waits until it listens. */
export async function startOidcProvider(spec: ProviderSpec): Promise<TestProvider> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'provider.mjs'), String(port), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${out}`)), 20_000);
    child.stdout!.on('data', () => {
      if (out.includes('ready ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`oidc-provider exited (${code}): ${out}`)));
  });
  return {
    issuer: `http://127.0.0.1:${port}`,
    logs: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
