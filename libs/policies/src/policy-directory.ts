import { Injectable } from '@nestjs/common';
import { CompactedView } from '@gatehouse/bus';
import { PoliciesTopic, type PolicyEvent } from '@gatehouse/contracts';

/**
 * The latest version of every guardrail policy, from the compacted gatehouse.policies.v1 (Kafka is
 * the store of record). One per process: the guard's registry and the ingress's compiled set both
 * read it, through listeners (onChange) that see every change, the replay included.
 */
@Injectable()
export class PolicyDirectory extends CompactedView<PolicyEvent> {
  constructor() {
    super(PoliciesTopic);
  }

  /** An older version arriving after a newer one (two guard replicas published concurrently) does not replace it. */
  override apply(id: string, event: PolicyEvent | null): void {
    const current = this.get(id);
    if (event && current && event.version < current.version) return;
    super.apply(id, event);
  }
}
