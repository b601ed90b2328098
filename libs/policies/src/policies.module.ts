import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { ReadinessRegistry } from '@gatehouse/runtime';
import { PolicyDirectory } from './policy-directory';

/**
 * The process's one view of gatehouse.policies.v1 (imported by the guard and the ingress
 * guardrails; one instance per process). Caught up before the app listens; readiness "policies".
 */
@Module({ providers: [PolicyDirectory], exports: [PolicyDirectory] })
export class PoliciesModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly policies: PolicyDirectory,
    @Inject(BUS) private readonly bus: Bus,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('policies', () => ({ ok: policies.ready, detail: { policies: policies.size } }));
  }

  async onModuleInit(): Promise<void> {
    await this.policies.start(this.bus);
  }

  async onModuleDestroy(): Promise<void> {
    await this.policies.close();
  }
}
