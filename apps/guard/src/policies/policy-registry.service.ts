import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { PoliciesTopic, PolicyVersionsTopic, policyVersionKey, type PolicyBody, type PolicyEvent } from '@gatehouse/contracts';
import { PolicyDirectory } from '@gatehouse/policies';
import { RUNTIME, type Runtime } from '@gatehouse/runtime';
import { VERSION_COUNTER, type VersionCounter } from './version-counter.port';

/** The outcome of a publish: the new version, or the latest version that made If-Match stale. */
export type PublishResult = { ok: true; event: PolicyEvent } | { ok: false; current: number };

/**
 * The guard's policy admin: reads the process's PolicyDirectory, changes it only by publishing a
 * new immutable version (numbered by the VersionCounter, so replicas never mint the same one) to
 * gatehouse.policies.v1 and gatehouse.policy-versions.v1, or a tombstone to the former; publishes
 * config policies that changed once the directory caught up.
 */
@Injectable()
export class PolicyRegistry implements OnModuleInit {
  /** The highest version ever seen per id, deleted ones included: a re-created policy continues the count, so (id, version) always names one body. */
  private readonly lastVersion = new Map<string, number>();

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly policies: PolicyDirectory,
    @Inject(VERSION_COUNTER) private readonly counter: VersionCounter,
  ) {
    policies.onChange((id, event) => {
      if (event) this.lastVersion.set(id, Math.max(this.lastVersion.get(id) ?? 0, event.version));
    });
  }

  /** Runs after PoliciesModule replayed the topic (imported modules init first). */
  async onModuleInit(): Promise<void> {
    for (const body of this.runtime.config.policies) {
      const current = this.policies.get(body.id);
      if (!current || JSON.stringify(current.policy) !== JSON.stringify(body)) await this.publish(body, 'config');
    }
  }

  get(id: string): PolicyEvent | undefined {
    return this.policies.get(id);
  }

  list(): PolicyEvent[] {
    return this.policies.all().sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The highest version of `id` this process has seen (0 when none). */
  latestSeen(id: string): number {
    return Math.max(this.policies.get(id)?.version ?? 0, this.lastVersion.get(id) ?? 0);
  }

  /** Mints the next version (only if `expected` is still the latest, when given) and publishes it. */
  async publish(body: PolicyBody, actor: string, expected: number | null = null): Promise<PublishResult> {
    const minted = await this.counter.mint(body.id, this.latestSeen(body.id), expected);
    if (!minted.ok) return minted;
    const event: PolicyEvent = { id: body.id, version: minted.version, created_at: Date.now(), actor, policy: body };
    this.policies.apply(body.id, event);
    this.bus.publish(PolicyVersionsTopic, policyVersionKey(body.id, event.version), event);
    this.bus.publish(PoliciesTopic, body.id, event);
    return { ok: true, event };
  }

  remove(id: string): void {
    this.policies.apply(id, null);
    this.bus.publish(PoliciesTopic, id, null);
  }
}
