import { Injectable } from '@nestjs/common';
import { CompactedView } from '@gatehouse/bus';
import { PoliciesTopic, type PolicyEvent } from '@gatehouse/contracts';

export type PolicyListener = (id: string, event: PolicyEvent | null) => void;

/**
 * The latest version of every guardrail policy, from the compacted gatehouse.policies.v1 (Kafka is
 * the store of record). One per process: the guard's registry and the ingress's compiled set both
 * read it, through listeners that see every change, the replay included.
 */
@Injectable()
export class PolicyDirectory extends CompactedView<PolicyEvent> {
  private readonly listeners: PolicyListener[] = [];

  constructor() {
    super(PoliciesTopic);
  }

  /** Register before the module init replays the topic to see every event. */
  onChange(listener: PolicyListener): void {
    this.listeners.push(listener);
  }

  /** An older version arriving after a newer one (two guard replicas published concurrently) does not replace it. */
  override apply(id: string, event: PolicyEvent | null): void {
    const current = this.get(id);
    if (event && current && event.version < current.version) return;
    super.apply(id, event);
  }

  protected override changed(id: string, event: PolicyEvent | null): void {
    for (const l of this.listeners) l(id, event);
  }
}
