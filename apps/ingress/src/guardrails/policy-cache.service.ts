import { Inject, Injectable } from '@nestjs/common';
import { compilePolicies, type CompiledPolicySet } from '@gatehouse/guardrails/policy-set';
import { PolicyDirectory } from '@gatehouse/policies';
import { LOGGER } from '@gatehouse/runtime/runtime';
import type { Logger } from '@gatehouse/observability/logger';

/**
 * The compiled latest version of each policy, recompiled on every change of the process's
 * PolicyDirectory (replayed before the app listens; hot reload after).
 */
@Injectable()
export class PolicyCache {
  private set: CompiledPolicySet = compilePolicies([]);

  constructor(policies: PolicyDirectory, @Inject(LOGGER) log: Logger) {
    policies.onChange((id, event) => {
      this.set = compilePolicies(policies.all(), this.set);
      if (policies.ready) log.info({ policy: id, version: event?.version ?? null }, 'guardrail policy applied');
    });
  }

  current(): CompiledPolicySet {
    return this.set;
  }
}
