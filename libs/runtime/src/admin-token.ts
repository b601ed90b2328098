import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type GatehouseEnv } from '@gatehouse/config';

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * Standalone without GATEHOUSE_ADMIN_TOKEN: the token generated on the first start, kept in
 * <data dir>/admin-token (mode 0600) so a restart does not sign the console out. Runs before Nest starts.
 */
export function persistedAdminToken(env: GatehouseEnv): string {
  const file = join(env.GATEHOUSE_DATA_DIR, ADMIN_TOKEN_FILE);
  let existing: string | null = null;
  try {
    existing = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`${file}: cannot read the stored admin token (${(e as Error).message})`);
  }
  if (existing !== null) {
    if (existing.length < 16) throw new ConfigError(`${file}: the stored admin token must be at least 16 characters; delete the file to generate a new one`);
    chmodSync(file, 0o600);
    return existing;
  }
  const token = `gh-admin-${randomBytes(18).toString('base64url')}`;
  mkdirSync(env.GATEHOUSE_DATA_DIR, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return token;
}
