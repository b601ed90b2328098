import { Module } from '@nestjs/common';
import { BUS, type Bus } from '@gatehouse/bus/bus.port';
import { LOGGER } from '@gatehouse/runtime/runtime';
import type { Logger } from '@gatehouse/observability/logger';
import { INPUT_GUARD, OUTPUT_GUARD } from './input-guard.token';
import { PolicyCache } from './policy-cache.service';
import { PolicyInputGuard } from './policy-input-guard';
import { PolicyOutputGuard } from './policy-output-guard';
import { VerdictSink } from './verdict-sink';

/** Inline guardrails of the ingress: policies from gatehouse.policies.v1, verdicts to gatehouse.verdicts.v1. */
@Module({
  providers: [
    PolicyCache,
    { provide: VerdictSink, useFactory: (bus: Bus, log: Logger) => new VerdictSink(bus, log), inject: [BUS, LOGGER] },
    { provide: INPUT_GUARD, useFactory: (p: PolicyCache, s: VerdictSink) => new PolicyInputGuard(p, s), inject: [PolicyCache, VerdictSink] },
    { provide: OUTPUT_GUARD, useFactory: (p: PolicyCache, s: VerdictSink) => new PolicyOutputGuard(p, s), inject: [PolicyCache, VerdictSink] },
  ],
  exports: [INPUT_GUARD, OUTPUT_GUARD, PolicyCache],
})
export class GuardrailsModule {}
