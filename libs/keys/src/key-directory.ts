import { Injectable } from '@nestjs/common';
import { CompactedView } from '@gatehouse/bus';
import { KeysTopic, type KeyRecord } from '@gatehouse/contracts';
import { sha256Hex } from './key-hash';
import { keyStatus } from './key-status';

export type KeyCheck =
  | { ok: true; key: KeyRecord }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' | 'expired' };

/**
 * Every virtual key this process knows, from the compacted gatehouse.keys.v1 topic (config keys
 * are published there at start), indexed by id and by the SHA-256 of the secret. A revoke reaches
 * every replica as soon as the bus delivers it.
 */
@Injectable()
export class KeyDirectory extends CompactedView<KeyRecord> {
  private readonly byHash = new Map<string, KeyRecord>();

  constructor() {
    super(KeysTopic);
  }

  protected override changed(_id: string, record: KeyRecord | null, previous: KeyRecord | undefined): void {
    if (previous) this.byHash.delete(previous.key_sha256);
    if (record) this.byHash.set(record.key_sha256, record);
  }

  /** A key that is not revoked, with this name (names are unique among those). */
  byName(name: string, now = Date.now()): KeyRecord | undefined {
    return this.all().find((k) => k.name === name && keyStatus(k, now) !== 'revoked');
  }

  check(secret: string | null, now: number): KeyCheck {
    if (!secret) return { ok: false, reason: 'missing' };
    const key = this.byHash.get(sha256Hex(secret));
    if (!key) return { ok: false, reason: 'unknown' };
    const status = keyStatus(key, now);
    return status === 'active' ? { ok: true, key } : { ok: false, reason: status };
  }
}
