import { Inject, Injectable } from '@nestjs/common';
import { compilePolicies, type CompiledPolicySet } from '@gatehouse/guardrails';
import { PolicyDirectory } from '@gatehouse/policies';
import type { GatehouseConfig } from '@gatehouse/config';
import { CONFIG, LOGGER } from '@gatehouse/runtime';
import type { Logger } from '@gatehouse/observability';

/**
 * The compiled latest version of each policy, recompiled on every change of the process's
 * PolicyDirectory (replayed before the app listens; hot reload after).
 */
@Injectable()
export class PolicyCache {
  private set: CompiledPolicySet = compilePolicies([]);

  /** limits.guardrail_budget_ms: the time the inline checks of one stage may take. */
  readonly budgetMs: number;

  constructor(policies: PolicyDirectory, @Inject(LOGGER) log: Logger, @Inject(CONFIG) config: GatehouseConfig) {
    this.budgetMs = config.limits.guardrail_budget_ms;
    policies.onChange((id, event) => {
      this.set = compilePolicies(policies.all(), this.set);
      if (policies.ready) log.info({ policy: id, version: event?.version ?? null }, 'guardrail policy applied');
    });
  }

  current(): CompiledPolicySet {
    return this.set;
  }
}
