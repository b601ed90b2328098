/** A minted version, or the version that made If-Match stale. */
export type MintResult = { ok: true; version: number } | { ok: false; current: number };

/**
 * Mints policy version numbers atomically across every guard replica. Adapters: Redis (REDIS_URL,
 * one Lua compare-and-set) and in-process (standalone: the primary is the only writer).
 */
export interface VersionCounter {
  /**
   * The next version of `id`: one above the larger of the counter and `floor` (the highest version
   * this process saw on the topics, so a fresh or flushed counter never goes back). With `expected`
   * set, mints only when that is the latest version; otherwise answers the latest.
   */
  mint(id: string, floor: number, expected: number | null): Promise<MintResult>;
  close(): Promise<void>;
}

export const VERSION_COUNTER = Symbol('VERSION_COUNTER');
