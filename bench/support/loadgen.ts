import { z } from 'zod';
import { measureLatency } from './latency';
import { measureStreams } from './streams';
import { TargetSchema } from './targets';
import { pairedRounds, rampThroughput, type ThroughputResult } from './throughput';

/** What the orchestrator asks one load-generator process to do (argv[2], JSON). */
export const PlanSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('latency'), targets: z.array(TargetSchema), perTarget: z.number().int().positive(), warmup: z.number().int().nonnegative() }),
  z.object({ phase: z.literal('throughput'), targets: z.array(TargetSchema), levels: z.array(z.number().int().positive()), seconds: z.number().positive(), p99BoundMs: z.number().positive(), pids: z.record(z.string(), z.number().int()), groups: z.array(z.array(z.string()).min(2)), pairedRounds: z.number().int().nonnegative() }),
  z.object({ phase: z.literal('streams'), targets: z.array(TargetSchema), concurrency: z.number().int().positive(), rounds: z.number().int().positive() }),
]);
export type Plan = z.infer<typeof PlanSchema>;

async function run(plan: Plan): Promise<unknown> {
  switch (plan.phase) {
    case 'latency':
      return measureLatency(plan.targets, plan.perTarget, plan.warmup);
    case 'throughput': {
      const steps = await rampThroughput(plan.targets, plan.levels, plan.seconds, plan.p99BoundMs, plan.pids);
      const groups = await pairedRounds(plan.targets, steps, plan.groups, plan.pairedRounds, plan.seconds, plan.p99BoundMs, plan.pids);
      return { steps, groups } satisfies ThroughputResult;
    }
    case 'streams':
      return measureStreams(plan.targets, plan.concurrency, plan.rounds);
  }
}

/** Runs in its own process so the load generator does not share an event loop with the orchestrator; the result is one JSON line on stdout. */
if (require.main === module) {
  run(PlanSchema.parse(JSON.parse(process.argv[2] ?? '{}')))
    .then((result) => {
      // exit once the pipe took it all: exiting right after a write of a few hundred KB cut the line
      process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
    })
    .catch((e: unknown) => {
      process.stderr.write(`load generator failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
}
