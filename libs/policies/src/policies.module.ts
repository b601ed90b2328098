import { Inject, Module } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus';
import { ReadinessRegistry, ViewModule } from '@gatehouse/runtime';
import { PolicyDirectory } from './policy-directory';

/**
 * The process's one view of gatehouse.policies.v1 (imported by the guard and the ingress
 * guardrails; one instance per process). Caught up before the app listens; readiness "policies".
 */
@Module({ providers: [PolicyDirectory], exports: [PolicyDirectory] })
export class PoliciesModule extends ViewModule {
  constructor(policies: PolicyDirectory, @Inject(BUS) bus: Bus, readiness: ReadinessRegistry) {
    super(policies, bus, readiness, 'policies');
  }
}
