import { Injectable } from '@nestjs/common';

export interface ReadinessResult {
  ok: boolean;
  detail?: unknown;
}

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

  async evaluate(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, ReadinessResult> }> {
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
    return { ready: results.every(([, r]) => r.ok), checks };
  }
}
