import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BUS, type Bus } from '@gatehouse/bus';
import type { ConfigKey } from '@gatehouse/config';
import { GatewayError, KeysTopic, type KeyRecord } from '@gatehouse/contracts';
import { configKeyChanged, recordFromConfigKey } from './config-keys';
import { KeyDirectory } from './key-directory';
import type { CreateKeyInput, PatchKeyInput } from './key-input.schema';
import { sha256Hex } from './key-hash';

/**
 * Creating, changing and revoking keys: every change is applied to this process's directory and
 * published to gatehouse.keys.v1. The secret exists only in the answer to create; only its
 * SHA-256 is stored and published. Names are unique among keys that are not revoked (policy
 * scopes match keys by name), config keys included.
 */
@Injectable()
export class KeyService {
  constructor(
    private readonly keys: KeyDirectory,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  create(input: CreateKeyInput): { record: KeyRecord; secret: string } {
    this.assertNameFree(input.name, null);
    const secret = `gh-${randomBytes(24).toString('base64url')}`;
    const record: KeyRecord = {
      id: `key_${randomBytes(8).toString('hex')}`,
      ...input,
      expires_at: input.expires_at ? Date.parse(input.expires_at) : null,
      key_sha256: sha256Hex(secret),
      prefix: secret.slice(0, 7),
      created_at: Date.now(),
      revoked_at: null,
      source: 'admin',
    };
    this.save(record);
    return { record, secret };
  }

  get(id: string): KeyRecord {
    const k = this.keys.get(id);
    if (!k) throw new GatewayError(404, 'not_found_error', `no key with id "${id}"`, { param: 'id' });
    return k;
  }

  patch(id: string, change: PatchKeyInput): KeyRecord {
    const current = this.get(id);
    if (change.name !== undefined && change.name !== current.name) this.assertNameFree(change.name, id);
    const next: KeyRecord = {
      ...current,
      ...change,
      expires_at: change.expires_at === undefined ? current.expires_at : change.expires_at ? Date.parse(change.expires_at) : null,
    };
    this.save(next);
    return next;
  }

  revoke(id: string): KeyRecord {
    const current = this.get(id);
    const next = { ...current, revoked_at: current.revoked_at ?? Date.now() };
    this.save(next);
    return next;
  }

  /** Publishes the config keys whose config-defined fields changed (an admin revoke of a config key survives restarts). */
  publishConfigKeys(configKeys: readonly ConfigKey[], now = Date.now()): void {
    for (const k of configKeys) {
      const fresh = recordFromConfigKey(k, now);
      const current = this.keys.get(fresh.id);
      if (!configKeyChanged(current, fresh)) continue;
      this.save(current ? { ...fresh, created_at: current.created_at, revoked_at: current.revoked_at } : fresh);
    }
  }

  private assertNameFree(name: string, exceptId: string | null): void {
    const holder = this.keys.byName(name);
    if (holder && holder.id !== exceptId) {
      throw new GatewayError(409, 'conflict_error', `name: a key named "${name}" exists (id ${holder.id}, ${holder.source} key); key names are unique because policy scopes match keys by name`, {
        code: 'key_name_taken',
        param: 'name',
      });
    }
  }

  private save(record: KeyRecord): void {
    this.keys.apply(record.id, record);
    this.bus.publish(KeysTopic, record.id, record);
  }
}
