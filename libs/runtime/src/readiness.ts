import { Injectable } from '@nestjs/common';

export interface ReadinessResult {
  ok: boolean;
  /** The dependency is down but the process keeps serving without it (limits.on_redis_error: fail_open). */
  degraded?: boolean;
  detail?: unknown;
}

export type RedisErrorPolicy = 'fail_open' | 'fail_closed';

/**
 * A Redis-backed dependency that does not answer, under limits.on_redis_error: with fail_open the
 * process keeps serving without it (ready, degraded), with fail_closed it is not ready. Every check
 * of such a dependency uses this, so one outage never makes two checks disagree.
 */
export const dependencyDown = (policy: RedisErrorPolicy, detail: Record<string, unknown>): ReadinessResult => ({
  ok: policy === 'fail_open',
  degraded: true,
  detail: { ...detail, on_redis_error: policy },
});

export type ReadinessCheck = () => Promise<ReadinessResult> | ReadinessResult;

/** Modules register what must answer before the process is ready (bus, store, caught-up state). */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Throws when the name is taken: two holders of one state in a process is a wiring bug. */
  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is registered twice; each state has one holder per process`);
    this.checks.set(name, check);
  }

  async evaluate(timeoutMs = 2000): Promise<{ ready: boolean; degraded: string[]; checks: Record<string, ReadinessResult> }> {
    const entries = [...this.checks.entries()];
    const results = await Promise.all(
      entries.map(async ([name, check]): Promise<[string, ReadinessResult]> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<ReadinessResult>((resolve) => {
            timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
          });
          return [name, await Promise.race([Promise.resolve(check()), timeout])];
        } catch (e) {
          return [name, { ok: false, detail: (e as Error).message }];
        } finally {
          if (timer) clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(results);
    return { ready: results.every(([, r]) => r.ok), degraded: results.filter(([, r]) => r.degraded).map(([name]) => name), checks };
  }
}
