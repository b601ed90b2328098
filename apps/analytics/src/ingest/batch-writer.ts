import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '@gatehouse/observability';
import { insertDuration, insertFailures, rowsDeduplicated, rowsInserted } from './ingest.metrics';

export interface BatchWriterOptions<R> {
  database: string;
  table: string;
  /** The column that identifies a row across replays (request_id, verdict_id). */
  idColumn: keyof R & string;
  /** The DateTime64 column of the sorting key, used to prune partitions in the dedupe check. */
  tsColumn: keyof R & string;
  /** Every column of a row, in insert order (rows are sent as JSONCompactEachRow arrays). */
  columns: readonly (keyof R & string)[];
  /** The Nullable columns: their default is NULL, so they are left out of an insert only when every value is null. */
  nullable: readonly (keyof R & string)[];
  /** Most rows in one insert (writers waiting behind a flush are combined up to this size). */
  maxRows: number;
  /** How long one flush keeps retrying a failing ClickHouse before rejecting its writers. */
  retryForMs?: number;
  /** First backoff after a failure; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** An insert whose outcome is unknown (the request timed out or its connection broke): the server may still apply it. */
interface InDoubt<R> {
  rows: R[];
  columns: (keyof R & string)[];
  token: string;
}

interface Waiter<R> {
  rows: R[];
  resolve: () => void;
  reject: (e: Error) => void;
}

const ID_CHUNK = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const field = <R extends object>(row: R, column: keyof R): string => String(row[column]);

/** The value ClickHouse stores for a column left out of an insert (non-Nullable types: '', 0, false, [], {}). */
function isTypeDefault(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v !== null && typeof v === 'object') {
    for (const _ in v) return false;
    return true;
  }
  return false;
}

/**
 * Inserts rows from consumer batches into ClickHouse with group commit: a write is flushed at once
 * when no insert is in flight; writes that arrive while one is in flight wait for it and then go
 * together in the next insert (up to maxRows). A consumer waits for its batch to be stored before it
 * fetches the next, so lingering for more rows would only add latency. write() resolves only after
 * ClickHouse acknowledged the insert that carried its rows, so the bus commits offsets only
 * for stored data; it rejects when ClickHouse kept failing for retryForMs, and the bus
 * redelivers the batch.
 *
 * Dedupe before insert: a flush first asks ClickHouse which of its ids are already stored (within
 * the batch's time range) and inserts only the others. A replay (the bus redelivering after a
 * crash, a DLQ replay, an insert that succeeded but whose answer was lost) therefore never lands
 * twice, neither in the table nor in the materialized-view rollups fed by each inserted block.
 * Flushes run one at a time so the check and the insert cannot interleave within this process;
 * the ReplacingMergeTree key is the backstop for the rest.
 *
 * Idempotent inserts: the check cannot see an insert the server has not applied yet, and a stalled
 * server may apply one after its client gave up. So every insert carries insert_deduplication_token
 * (a hash of its table and ids; the tables and rollups keep a deduplication window, migration 007)
 * with deduplicate_blocks_in_dependent_materialized_views, and an insert whose outcome is unknown
 * (no answer: timeout, broken connection) is kept and re-sent unchanged, same rows and token, before
 * any other insert, until the server answers it: whichever copy is applied first counts, any later
 * copy is dropped by the server, also in the rollups. A server error answer means not applied.
 */
export class BatchWriter<R extends object> {
  private waiting: Waiter<R>[] = [];
  private inFlight: Promise<void> | null = null;
  private closed = false;
  private failingSince: number | null = null;
  private lastError: string | null = null;
  private readonly nullable: ReadonlySet<string>;
  private inDoubt: InDoubt<R>[] = [];

  constructor(
    private readonly client: ClickHouseClient,
    private readonly opts: BatchWriterOptions<R>,
    private readonly logger: Logger,
  ) {
    if (!opts.columns.includes(opts.idColumn) || !opts.columns.includes(opts.tsColumn)) {
      throw new Error(`${opts.table} writer: columns must include ${opts.idColumn} and ${opts.tsColumn}`);
    }
    this.nullable = new Set(opts.nullable);
  }

  /** Resolves once every row is stored (or was already stored). */
  write(rows: R[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.opts.table} writer is closed`));
    if (rows.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ rows, resolve, reject }));
    this.pump();
    return done;
  }

  /** Health for /readyz: false while inserts fail. */
  status(): { ok: boolean; failing_since: number | null; last_error: string | null } {
    return { ok: this.failingSince === null, failing_since: this.failingSince, last_error: this.lastError };
  }

  /** Wait until every row written so far is stored (or its writer was rejected). */
  async drain(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
  }

  /**
   * Starts the next insert when none is in flight; runs again when that insert settles. The rows are
   * taken on the next turn of the event loop, so the writes of one fetch's partitions, handed over in
   * the same turn, go in one insert (each insert makes parts ClickHouse merges later).
   */
  private pump(): void {
    if (this.inFlight || this.waiting.length === 0) return;
    this.inFlight = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.flush(this.take()))
      .finally(() => {
        this.inFlight = null;
        this.pump();
      });
  }

  /** The oldest waiting writers, as many as fit in maxRows (always at least one). */
  private take(): Waiter<R>[] {
    let rows = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || rows + this.waiting[n]!.rows.length <= this.opts.maxRows)) {
      rows += this.waiting[n]!.rows.length;
      n++;
    }
    return this.waiting.splice(0, n);
  }

  private async flush(batch: Waiter<R>[]): Promise<void> {
    try {
      await this.storeWithRetry(batch.flatMap((w) => w.rows));
      for (const w of batch) w.resolve();
    } catch (e) {
      for (const w of batch) w.reject(e as Error);
    }
  }

  private async storeWithRetry(rows: R[]): Promise<void> {
    const { table } = this.opts;
    const retryFor = this.opts.retryForMs ?? 10_000;
    const maxBackoff = this.opts.maxBackoffMs ?? 5_000;
    let backoff = this.opts.backoffMs ?? 200;
    const started = Date.now();
    for (;;) {
      const stop = insertDuration.startTimer({ table });
      try {
        await this.store(rows);
        stop();
        if (this.failingSince !== null) this.logger.info({ table }, 'clickhouse inserts recovered');
        this.failingSince = null;
        this.lastError = null;
        return;
      } catch (e) {
        insertFailures.inc({ table });
        this.failingSince ??= Date.now();
        this.lastError = (e as Error).message.slice(0, 300);
        this.logger.warn({ table, rows: rows.length, err: this.lastError, backoff_ms: backoff }, 'clickhouse insert failed');
        if (this.closed || Date.now() - started + backoff > retryFor) throw e;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  }

  private async store(rows: R[]): Promise<void> {
    while (this.inDoubt.length > 0) {
      await this.insert(this.inDoubt[0]);
      this.inDoubt.shift();
    }
    const { table, idColumn } = this.opts;
    const unique = new Map<string, R>();
    for (const r of rows) if (!unique.has(field(r, idColumn))) unique.set(field(r, idColumn), r);
    const stored = await this.storedIds([...unique.values()]);
    const fresh = [...unique.values()].filter((r) => !stored.has(field(r, idColumn)));
    const skipped = rows.length - fresh.length;
    if (skipped > 0) rowsDeduplicated.inc({ table }, skipped);
    if (fresh.length > 0) {
      const block: InDoubt<R> = { rows: fresh, columns: this.columnsToSend(fresh), token: this.tokenOf(fresh) };
      try {
        await this.insert(block);
      } catch (e) {
        if (outcomeUnknown(e)) this.inDoubt.push(block);
        throw e;
      }
    }
    this.logger.debug({ table, rows: rows.length, inserted: fresh.length, skipped }, 'batch stored');
  }

  /**
   * The columns of this insert: a column whose value is its ClickHouse default in every row is left
   * out (ClickHouse stores that default), which saves serialising and parsing it (bodies not logged,
   * zero cache and reasoning tokens, no guardrail hits: often a third of the columns).
   */
  private columnsToSend(rows: R[]): (keyof R & string)[] {
    const { columns, idColumn, tsColumn } = this.opts;
    return columns.filter((c) => {
      if (c === idColumn || c === tsColumn) return true;
      const omittable = this.nullable.has(c) ? (v: unknown) => v === null : isTypeDefault;
      for (const r of rows) if (!omittable(r[c])) return true;
      return false;
    });
  }

  /** One insert of a block; counts its rows once the server acknowledged it (a deduplicated re-send is acknowledged too). */
  private async insert(block: InDoubt<R>): Promise<void> {
    const { database, table } = this.opts;
    const names: string[] = block.columns;
    await this.client.insert({
      table: `${database}.${table}`,
      columns: names as [string, ...string[]],
      values: block.rows.map((r) => block.columns.map((c) => r[c])),
      format: 'JSONCompactEachRow',
      clickhouse_settings: { insert_deduplication_token: block.token, deduplicate_blocks_in_dependent_materialized_views: 1 },
    });
    rowsInserted.inc({ table }, block.rows.length);
  }

  private tokenOf(rows: R[]): string {
    const h = createHash('sha256').update(this.opts.table);
    for (const r of rows) h.update('\u0000').update(field(r, this.opts.idColumn));
    return h.digest('hex');
  }

  private async storedIds(rows: R[]): Promise<Set<string>> {
    const { database, table, idColumn, tsColumn } = this.opts;
    const found = new Set<string>();
    for (let i = 0; i < rows.length; i += ID_CHUNK) {
      const chunk = rows.slice(i, i + ID_CHUNK);
      const ts = chunk.map((r) => field(r, tsColumn)).sort();
      const res = await this.client.query({
        query: `SELECT ${idColumn} AS id FROM ${database}.${table}
                WHERE ${tsColumn} BETWEEN {lo:DateTime64(3, 'UTC')} AND {hi:DateTime64(3, 'UTC')} AND ${idColumn} IN {ids:Array(String)}`,
        query_params: { lo: ts[0], hi: ts[ts.length - 1], ids: chunk.map((r) => field(r, idColumn)) },
        format: 'JSONEachRow',
      });
      for (const r of await res.json<{ id: string }>()) found.add(r.id);
    }
    return found;
  }
}

/**
 * Whether a failed insert may still be applied by the server: true unless the server answered
 * with an error (a ClickHouse exception: not applied) or the connection was refused (never sent).
 */
export function outcomeUnknown(e: unknown): boolean {
  const err = e as { code?: unknown; type?: unknown; message?: string; cause?: { code?: unknown } };
  if (typeof err?.type === 'string' || (typeof err?.code === 'string' && /^\d+$/.test(err.code))) return false;
  const code = err?.code ?? err?.cause?.code;
  return code !== 'ECONNREFUSED';
}
