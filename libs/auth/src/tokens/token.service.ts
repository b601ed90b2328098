import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BUS, type Bus } from '@gatehouse/bus';
import { GatewayError, TokensTopic, type ServiceTokenRecord } from '@gatehouse/contracts';
import { sha256Hex } from '@gatehouse/keys';
import { TokenDirectory } from './token-directory';
import type { CreateTokenInput } from './token-input.schema';

/** A token as the admin API shows it: never the secret nor its hash. */
export function tokenView(t: ServiceTokenRecord) {
  const { token_sha256: _hash, ...rest } = t;
  return { ...rest, status: t.revoked_at === null ? 'active' : 'revoked' };
}

/** Creating and revoking service tokens: applied here and published to gatehouse.tokens.v1; the secret exists only in the answer to create. */
@Injectable()
export class TokenService {
  constructor(
    private readonly tokens: TokenDirectory,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  create(input: CreateTokenInput, createdBy: string): { record: ServiceTokenRecord; secret: string } {
    const secret = `ght_${randomBytes(24).toString('base64url')}`;
    const record: ServiceTokenRecord = {
      id: `tok_${randomBytes(8).toString('hex')}`,
      name: input.name,
      role: input.role,
      teams: [...new Set(input.teams)],
      token_sha256: sha256Hex(secret),
      prefix: secret.slice(0, 8),
      created_at: Date.now(),
      created_by: createdBy,
      revoked_at: null,
    };
    this.save(record);
    return { record, secret };
  }

  get(id: string): ServiceTokenRecord {
    const t = this.tokens.get(id);
    if (!t) throw new GatewayError(404, 'not_found_error', `no service token with id "${id}"`, { param: 'id' });
    return t;
  }

  revoke(id: string): ServiceTokenRecord {
    const current = this.get(id);
    const next = { ...current, revoked_at: current.revoked_at ?? Date.now() };
    this.save(next);
    return next;
  }

  private save(record: ServiceTokenRecord): void {
    this.tokens.apply(record.id, record);
    this.bus.publish(TokensTopic, record.id, record);
  }
}
