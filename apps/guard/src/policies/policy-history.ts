import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus, type Subscription } from '@gatehouse/bus';
import { PoliciesTopic, PolicyVersionsTopic, policyVersionKey, type PolicyEvent } from '@gatehouse/contracts';
import { PolicyDirectory } from '@gatehouse/policies';

/**
 * Every version of every policy, replayed from gatehouse.policy-versions.v1 (compacted by
 * "<id>@<version>", so compaction keeps them all) before the guard listens, and kept live from
 * that topic and from the process's PolicyDirectory's live changes (so a version reads back right
 * after its PUT).
 * Latest versions found on gatehouse.policies.v1 but missing from the history topic (made before it
 * existed) are published to it once; a latest version older than the history's newest is replaced.
 */
@Injectable()
export class PolicyHistory implements OnModuleInit, OnModuleDestroy {
  private readonly byId = new Map<string, Map<number, PolicyEvent>>();
  private sub: Subscription | null = null;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    private readonly directory: PolicyDirectory,
  ) {}

  /** Runs after PoliciesModule replayed gatehouse.policies.v1 (imported modules init first). */
  async onModuleInit(): Promise<void> {
    let stored: Set<string> | null = new Set<string>();
    this.sub = await this.bus.watch(PolicyVersionsTopic, (key, event) => {
      if (!event) return;
      stored?.add(key);
      this.record(event);
    });
    for (const event of this.directory.all()) {
      const key = policyVersionKey(event.id, event.version);
      if (!stored.has(key)) {
        this.record(event);
        this.bus.publish(PolicyVersionsTopic, key, event);
      }
      const newest = this.versions(event.id).at(-1);
      if (newest && newest.version > event.version) this.restoreLatest(newest);
    }
    stored = null;
    // Only now: the history comes from its own topic, never from what gatehouse.policies.v1 still holds uncompacted.
    this.directory.onChange((_id, event) => {
      if (event) this.record(event);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.sub?.close();
  }

  /** Every known version of `id`, oldest first (empty when none). */
  versions(id: string): PolicyEvent[] {
    const versions = this.byId.get(id);
    return versions ? [...versions.values()].sort((a, b) => a.version - b.version) : [];
  }

  version(id: string, version: number): PolicyEvent | undefined {
    return this.byId.get(id)?.get(version);
  }

  /**
   * Two replicas publishing concurrently can leave an older version last on the compacted
   * gatehouse.policies.v1 (the directory ignores it live, compaction may keep only it): the newest
   * version from the history is published again as the latest.
   */
  private restoreLatest(event: PolicyEvent): void {
    this.directory.apply(event.id, event);
    this.bus.publish(PoliciesTopic, event.id, event);
  }

  private record(event: PolicyEvent): void {
    let versions = this.byId.get(event.id);
    if (!versions) this.byId.set(event.id, (versions = new Map()));
    versions.set(event.version, event);
  }
}
