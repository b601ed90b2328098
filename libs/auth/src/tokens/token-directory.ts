import { Injectable } from '@nestjs/common';
import { CompactedView } from '@gatehouse/bus';
import { TokensTopic, type ServiceTokenRecord } from '@gatehouse/contracts';
import { sha256Hex } from '@gatehouse/keys';

/** Every service token this process knows, from the compacted gatehouse.tokens.v1 topic, by id and by the SHA-256 of the secret. A revoke reaches every replica as soon as the bus delivers it. */
@Injectable()
export class TokenDirectory extends CompactedView<ServiceTokenRecord> {
  private readonly byHash = new Map<string, ServiceTokenRecord>();

  constructor() {
    super(TokensTopic);
  }

  protected override changed(_id: string, record: ServiceTokenRecord | null, previous: ServiceTokenRecord | undefined): void {
    if (previous) this.byHash.delete(previous.token_sha256);
    if (record) this.byHash.set(record.token_sha256, record);
  }

  /** The active token behind a presented secret. */
  active(secret: string): ServiceTokenRecord | undefined {
    const t = this.byHash.get(sha256Hex(secret));
    return t && t.revoked_at === null ? t : undefined;
  }
}
