import type { MintResult, VersionCounter } from './version-counter.port';

/** The version counter of a single writer (standalone): compare-and-set on a map, atomic on one event loop. */
export class InProcessVersionCounter implements VersionCounter {
  private readonly last = new Map<string, number>();

  mint(id: string, floor: number, expected: number | null): Promise<MintResult> {
    const current = Math.max(this.last.get(id) ?? 0, floor);
    if (expected !== null && expected !== current) return Promise.resolve({ ok: false, current });
    this.last.set(id, current + 1);
    return Promise.resolve({ ok: true, version: current + 1 });
  }

  async close(): Promise<void> {}
}
