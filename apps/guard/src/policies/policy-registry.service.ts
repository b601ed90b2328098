import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { PoliciesTopic, type PolicyBody, type PolicyEvent } from '@gatehouse/contracts';
import { PolicyDirectory } from '@gatehouse/policies';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';

/**
 * The guard's policy admin: reads the process's PolicyDirectory, changes it only by publishing a
 * new immutable version or a tombstone to gatehouse.policies.v1, and publishes config policies
 * that changed once the directory caught up.
 */
@Injectable()
export class PolicyRegistry implements OnModuleInit {
  /** The highest version ever seen per id, deleted ones included: a re-created policy continues the count, so (id, version) always names one body. */
  private readonly lastVersion = new Map<string, number>();

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly policies: PolicyDirectory,
  ) {
    policies.onChange((id, event) => {
      if (event) this.lastVersion.set(id, Math.max(this.lastVersion.get(id) ?? 0, event.version));
    });
  }

  /** Runs after PoliciesModule replayed the topic (imported modules init first). */
  onModuleInit(): void {
    for (const body of this.runtime.config.policies) {
      const current = this.policies.get(body.id);
      if (!current || JSON.stringify(current.policy) !== JSON.stringify(body)) this.publish(body, current);
    }
  }

  get(id: string): PolicyEvent | undefined {
    return this.policies.get(id);
  }

  list(): PolicyEvent[] {
    return this.policies.all().sort((a, b) => a.id.localeCompare(b.id));
  }

  publish(body: PolicyBody, current = this.policies.get(body.id)): PolicyEvent {
    const version = Math.max(current?.version ?? 0, this.lastVersion.get(body.id) ?? 0) + 1;
    const event: PolicyEvent = { id: body.id, version, created_at: Date.now(), policy: body };
    this.policies.apply(body.id, event);
    this.bus.publish(PoliciesTopic, body.id, event);
    return event;
  }

  remove(id: string): void {
    this.policies.apply(id, null);
    this.bus.publish(PoliciesTopic, id, null);
  }
}
