import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus, type Subscription } from '@gatehouse/bus/bus.port';
import { PoliciesTopic, type PolicyBody, type PolicyEvent } from '@gatehouse/contracts/policy';
import { RUNTIME, type Runtime } from '@gatehouse/runtime/runtime';
import { ReadinessRegistry } from '@gatehouse/runtime/readiness';

/**
 * The guard's view of every policy: replayed from the compacted gatehouse.policies.v1 (Kafka is
 * the store of record), changed only by publishing a new immutable version or a tombstone.
 */
@Injectable()
export class PolicyRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly policies = new Map<string, PolicyEvent>();
  /** The highest version ever seen per id, deleted ones included: a re-created policy continues the count, so (id, version) always names one body. */
  private readonly lastVersion = new Map<string, number>();
  private sub: Subscription | null = null;
  private caughtUp = false;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('policies', () => ({ ok: this.caughtUp, detail: { policies: this.policies.size } }));
  }

  async onModuleInit(): Promise<void> {
    this.sub = await this.bus.watch(PoliciesTopic, (id, event) => {
      if (event) {
        this.policies.set(id, event);
        this.lastVersion.set(id, Math.max(this.lastVersion.get(id) ?? 0, event.version));
      } else {
        this.policies.delete(id);
      }
    });
    this.caughtUp = true;
    for (const body of this.runtime.config.policies) {
      const current = this.policies.get(body.id);
      if (!current || JSON.stringify(current.policy) !== JSON.stringify(body)) this.publish(body, current);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.sub?.close();
  }

  get(id: string): PolicyEvent | undefined {
    return this.policies.get(id);
  }

  list(): PolicyEvent[] {
    return [...this.policies.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  publish(body: PolicyBody, current = this.policies.get(body.id)): PolicyEvent {
    const version = Math.max(current?.version ?? 0, this.lastVersion.get(body.id) ?? 0) + 1;
    const event: PolicyEvent = { id: body.id, version, created_at: Date.now(), policy: body };
    this.policies.set(body.id, event);
    this.lastVersion.set(body.id, version);
    this.bus.publish(PoliciesTopic, body.id, event);
    return event;
  }

  remove(id: string): void {
    this.policies.delete(id);
    this.bus.publish(PoliciesTopic, id, null);
  }
}
