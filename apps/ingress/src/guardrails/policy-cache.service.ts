import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus, type Subscription } from '@gatehouse/bus/bus.port';
import { PoliciesTopic, type PolicyEvent } from '@gatehouse/contracts/policy';
import { compilePolicies, type CompiledPolicySet } from '@gatehouse/guardrails/policy-set';
import { LOGGER } from '@gatehouse/runtime/runtime';
import { ReadinessRegistry } from '@gatehouse/runtime/readiness';
import type { Logger } from '@gatehouse/observability/logger';

/**
 * Every ingress replica holds the compiled latest version of each policy, replayed from the
 * compacted gatehouse.policies.v1 before it listens and recompiled on every change (hot reload).
 */
@Injectable()
export class PolicyCache implements OnModuleInit, OnModuleDestroy {
  private readonly events = new Map<string, PolicyEvent>();
  private set: CompiledPolicySet = compilePolicies([]);
  private sub: Subscription | null = null;
  private caughtUp = false;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(LOGGER) private readonly log: Logger,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('policies', () => ({ ok: this.caughtUp, detail: { policies: this.events.size } }));
  }

  current(): CompiledPolicySet {
    return this.set;
  }

  async onModuleInit(): Promise<void> {
    this.sub = await this.bus.watch(PoliciesTopic, (id, event) => {
      if (event) this.events.set(id, event);
      else this.events.delete(id);
      this.set = compilePolicies([...this.events.values()], this.set);
      if (this.caughtUp) this.log.info({ policy: id, version: event?.version ?? null }, 'guardrail policy applied');
    });
    this.caughtUp = true;
  }

  async onModuleDestroy(): Promise<void> {
    await this.sub?.close();
  }
}
