import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../support/app-process';

/** A non-loopback IPv4 address of this machine (the network a default bind must not reach). */
function externalAddress(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal);
  if (!found) throw new Error('this machine has no non-loopback IPv4 address to test the bind against');
  return found.address;
}

describe('standalone first start: loopback only, and an admin token that survives a restart', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-first-start-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('binds 127.0.0.1 without HOST, keeps its generated admin token in the data dir (0600) and reuses it after a restart', async () => {
    // Blank values unset what the test environment sets (HOST, the admin token, Kafka, the config).
    const env = { GATEHOUSE_DATA_DIR: dir, HOST: '', GATEHOUSE_ADMIN_TOKEN: '', KAFKA_BROKERS: '', GATEHOUSE_CONFIG: '' };
    const first = await startApp('standalone', { env });
    let token: string;
    try {
      const file = join(dir, 'admin-token');
      token = readFileSync(file, 'utf8').trim();
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.logs()).toContain(token);
      expect((await fetch(`${first.url}/admin/keys`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      await expect(fetch(`http://${externalAddress()}:${first.port}/healthz`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    } finally {
      await first.stop();
    }
    const second = await startApp('standalone', { env });
    try {
      expect((await fetch(`${second.url}/admin/keys`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
