import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseEnv } from '@gatehouse/config';
import { ADMIN_TOKEN_FILE, persistedAdminToken } from './admin-token';
import { listenHost } from './settings';

describe('standalone admin token kept under the data dir', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gh-admin-token-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a token once, stores it with mode 0600 and returns the same token on the next start', () => {
    const env = parseEnv({ GATEHOUSE_DATA_DIR: join(dir, 'data') });
    const first = persistedAdminToken(env);
    expect(first).toMatch(/^gh-admin-[A-Za-z0-9_-]{24}$/);
    const file = join(dir, 'data', ADMIN_TOKEN_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(persistedAdminToken(env)).toBe(first);
  });

  it('refuses a stored token that is too short, naming the file', () => {
    writeFileSync(join(dir, ADMIN_TOKEN_FILE), 'short\n');
    const env = parseEnv({ GATEHOUSE_DATA_DIR: dir });
    expect(() => persistedAdminToken(env)).toThrow(ConfigError);
    expect(() => persistedAdminToken(env)).toThrow(join(dir, ADMIN_TOKEN_FILE));
  });
});

describe('listen address', () => {
  it('is loopback for standalone and every interface for the separate apps unless HOST is set', () => {
    expect(listenHost('standalone', {})).toBe('127.0.0.1');
    expect(listenHost('ingress', {})).toBe('0.0.0.0');
    expect(listenHost('standalone', { HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });
});
