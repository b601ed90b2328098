import type { Bus } from '@gatehouse/bus';
import type { ConfigKey } from '@gatehouse/config';
import { GatewayError } from '@gatehouse/contracts';
import { CreateKeySchema } from './key-input.schema';
import { KeyDirectory } from './key-directory';
import { KeyService } from './key.service';
import { keyStatus } from './key-status';

function service() {
  const published: string[] = [];
  const bus = { publish: (_t: unknown, id: string) => void published.push(id) } as unknown as Bus;
  const keys = new KeyDirectory();
  return { keys, svc: new KeyService(keys, bus), published };
}

const input = (name: string) => CreateKeySchema.parse({ name, team: 't' });
const conflictOf = (fn: () => unknown): GatewayError => {
  try {
    fn();
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error('no error thrown');
};

describe('KeyService', () => {
  it('creates a key that authenticates by its secret and publishes it; only the hash is kept', () => {
    const { keys, svc, published } = service();
    const { record, secret } = svc.create(input('a'));
    expect(published).toEqual([record.id]);
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(keys.check(secret, Date.now())).toEqual({ ok: true, key: record });
  });

  it('refuses a second key with the same name with 409 naming the key that holds it', () => {
    const { svc } = service();
    const first = svc.create(input('team-a')).record;
    const err = conflictOf(() => svc.create(input('team-a')));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 409, type: 'conflict_error', code: 'key_name_taken', param: 'name' });
    expect(err.message).toContain('"team-a"');
    expect(err.message).toContain(first.id);
  });

  it('counts config keys, refuses a rename onto a taken name, and frees the name of a revoked key', () => {
    const { svc } = service();
    const cfg: ConfigKey = { name: 'boot', key_sha256: 'a'.repeat(64), team: 't', models: ['*'], budget_period: 'month', policies: [], metadata: {}, log_bodies: true, analytics: false, alerts: [] } as ConfigKey;
    svc.publishConfigKeys([cfg]);
    expect(conflictOf(() => svc.create(input('boot'))).status).toBe(409);
    const b = svc.create(input('b')).record;
    expect(conflictOf(() => svc.patch(b.id, { name: 'boot' })).status).toBe(409);
    expect(svc.patch(b.id, { name: 'b' }).name).toBe('b');
    svc.revoke('cfg_boot');
    expect(svc.create(input('boot')).record.name).toBe('boot');
  });
});

describe('keyStatus: the one revocation and expiry rule', () => {
  it('is revoked or expired once the time is set and reached', () => {
    expect(keyStatus({ revoked_at: null, expires_at: null }, 10)).toBe('active');
    expect(keyStatus({ revoked_at: 0, expires_at: null }, 10)).toBe('revoked');
    expect(keyStatus({ revoked_at: null, expires_at: 10 }, 10)).toBe('expired');
    expect(keyStatus({ revoked_at: null, expires_at: 11 }, 10)).toBe('active');
  });
});
