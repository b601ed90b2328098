import { type Logger, counter } from '@gatehouse/observability';

const lookups = counter('gatehouse_cache_lookups_total', 'Response cache outcome per /v1 chat request (HIT, MISS, BYPASS)', ['status']);
const errors = counter('gatehouse_cache_errors_total', 'Response cache store failures and timeouts (each get is then a MISS; a failed set drops the entry)', ['store', 'op']);
const notStored = counter('gatehouse_cache_not_stored_total', 'Responses eligible for the cache that were not stored', ['reason']);

const indexed = counter('gatehouse_cache_index_misses_total', 'Cache lookups answered MISS by the key index, without a Redis round trip');

export const cacheMetrics = {
  indexMiss: indexed.labels(),
  hit: lookups.labels('HIT'),
  miss: lookups.labels('MISS'),
  bypass: lookups.labels('BYPASS'),
  tooLarge: notStored.labels('too_large'),
};

type StoreOp = 'get' | 'set' | 'connection';

/** How often a failing store is logged at most (every failure is counted). */
export const ERROR_LOG_INTERVAL_MS = 30_000;

/** Counts every failure of one store and logs at most one warning per interval, with the number of failures since the last one. */
export class StoreErrorReporter {
  private readonly counters: Record<StoreOp, ReturnType<typeof errors.labels>>;
  private lastLog = -Infinity;
  private unlogged = 0;

  constructor(
    private readonly store: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.counters = { get: errors.labels(store, 'get'), set: errors.labels(store, 'set'), connection: errors.labels(store, 'connection') };
  }

  report(op: StoreOp, err: unknown): void {
    this.counters[op].inc();
    this.unlogged++;
    const t = this.now();
    if (t - this.lastLog < ERROR_LOG_INTERVAL_MS) return;
    this.log.warn(
      { store: this.store, op, failures: this.unlogged, err: (err as Error)?.message ?? String(err) },
      'response cache store failing: requests are served as cache MISS (logged at most every 30 s)',
    );
    this.lastLog = t;
    this.unlogged = 0;
  }
}
