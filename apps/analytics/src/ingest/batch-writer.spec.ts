import type { ClickHouseClient } from '@clickhouse/client';
import pino from 'pino';
import { BatchWriter, outcomeUnknown } from './batch-writer';

interface Row {
  id: string;
  ts: string;
  n: number;
  /** Nullable(Float64): 0 is a value, only null is the default. */
  cost: number | null;
  tags: string[];
  note: string;
}

interface Insert {
  columns: string[];
  values: unknown[][];
  format: string;
  clickhouse_settings: { insert_deduplication_token: string; deduplicate_blocks_in_dependent_materialized_views: number };
}

/** A ClickHouse stand-in: remembers stored ids, answers the dedupe SELECT, records inserts; an insert resolves when released. */
class FakeClickHouse {
  readonly stored = new Set<string>();
  readonly inserts: Insert[] = [];
  readonly selects: string[][] = [];
  failNext = 0;
  /** Inserts that answer 'Timeout error.' but are applied later (applyLate), like a stalled server's. */
  timeoutNext = 0;
  readonly late: Insert[] = [];
  /** Every insert request the writer sent, applied or not. */
  readonly attempts: Insert[] = [];
  /** Inserts the server dropped because their deduplication token was applied already. */
  deduplicated = 0;
  private readonly tokens = new Set<string>();
  private gates: (() => void)[] = [];
  holdInserts = false;

  async query(q: { query_params: { ids: string[] } }) {
    this.selects.push(q.query_params.ids);
    const found = q.query_params.ids.filter((id) => this.stored.has(id)).map((id) => ({ id }));
    return { json: async () => found };
  }

  async insert(q: Insert) {
    this.attempts.push(q);
    if (this.holdInserts) await new Promise<void>((r) => this.gates.push(r));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('connection refused');
    }
    if (this.timeoutNext > 0) {
      this.timeoutNext--;
      this.late.push(q);
      throw new Error('Timeout error.');
    }
    this.apply(q);
  }

  applyLate(): void {
    for (const q of this.late.splice(0)) this.apply(q);
  }

  private apply(q: Insert): void {
    const token = q.clickhouse_settings.insert_deduplication_token;
    if (this.tokens.has(token)) {
      this.deduplicated++;
      return;
    }
    this.tokens.add(token);
    this.inserts.push(q);
    for (const v of q.values) this.stored.add(String(v[0]));
  }

  release(): void {
    const gates = this.gates;
    this.gates = [];
    for (const g of gates) g();
  }

  get pendingInserts(): number {
    return this.gates.length;
  }
}

const rows = (from: number, n: number): Row[] =>
  Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, ts: '2026-01-01 00:00:00.000', n: from + i, cost: 0.5, tags: ['a'], note: 'x' }));
const tick = () => new Promise((r) => setImmediate(r));

function writer(ch: FakeClickHouse, maxRows = 1000, retryForMs = 1000) {
  return new BatchWriter<Row>(ch as unknown as ClickHouseClient, {
    database: 'db', table: 't', idColumn: 'id', tsColumn: 'ts', columns: ['id', 'ts', 'n', 'cost', 'tags', 'note'], nullable: ['cost'], maxRows, retryForMs, backoffMs: 5,
  }, pino({ level: 'silent' }));
}

describe('BatchWriter', () => {
  it('inserts a lone batch at once, as positional rows in the column order', async () => {
    // "At once" is no timer between the write and its insert: with the clock frozen, the write still settles.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const ch = new FakeClickHouse();
    const w = writer(ch);
    let stored = false;
    const written = w.write(rows(0, 3)).then(() => (stored = true));
    try {
      await tick();
      expect(stored).toBe(true);
    } finally {
      jest.useRealTimers();
    }
    await written;
    const settings = { insert_deduplication_token: expect.stringMatching(/^[0-9a-f]{64}$/), deduplicate_blocks_in_dependent_materialized_views: 1 };
    expect(ch.inserts).toEqual([{ table: 'db.t', columns: ['id', 'ts', 'n', 'cost', 'tags', 'note'], format: 'JSONCompactEachRow', clickhouse_settings: settings, values: [
      ['r0', '2026-01-01 00:00:00.000', 0, 0.5, ['a'], 'x'], ['r1', '2026-01-01 00:00:00.000', 1, 0.5, ['a'], 'x'], ['r2', '2026-01-01 00:00:00.000', 2, 0.5, ['a'], 'x'],
    ] }]);
  });

  it('leaves out a column whose value is the ClickHouse default in every row (NULL for Nullable columns, where 0 is a value)', async () => {
    const ch = new FakeClickHouse();
    const w = writer(ch);
    await w.write([
      { id: '', ts: '2026-01-01 00:00:00.000', n: 0, cost: 0, tags: [], note: '' },
      { id: 'b', ts: '2026-01-01 00:00:01.000', n: 0, cost: null, tags: [], note: '' },
    ]);
    expect(ch.inserts[0]).toMatchObject({ columns: ['id', 'ts', 'cost'], values: [['', '2026-01-01 00:00:00.000', 0], ['b', '2026-01-01 00:00:01.000', null]] });
    await w.write([{ id: 'c', ts: '2026-01-01 00:00:02.000', n: 0, cost: null, tags: [], note: 'x' }, { id: 'd', ts: '2026-01-01 00:00:02.000', n: 3, cost: null, tags: [], note: '' }]);
    expect(ch.inserts[1]).toMatchObject({ columns: ['id', 'ts', 'n', 'note'], values: [['c', '2026-01-01 00:00:02.000', 0, 'x'], ['d', '2026-01-01 00:00:02.000', 3, '']] });
  });

  it('combines the batches that arrive while an insert is in flight into the next insert, up to maxRows', async () => {
    const ch = new FakeClickHouse();
    ch.holdInserts = true;
    const w = writer(ch, 5);
    const first = w.write(rows(0, 2));
    await tick();
    expect(ch.pendingInserts).toBe(1);
    const done = [first, w.write(rows(2, 2)), w.write(rows(4, 2)), w.write(rows(6, 1)), w.write(rows(7, 3))];
    ch.holdInserts = false;
    ch.release();
    await Promise.all(done);
    expect(ch.inserts.map((i) => i.values.length)).toEqual([2, 5, 3]);
    expect(ch.stored.size).toBe(10);
  });

  it("puts the writes handed over in one turn of the event loop (one fetch's partitions) in one insert", async () => {
    const ch = new FakeClickHouse();
    const w = writer(ch, 10);
    await Promise.all([w.write(rows(0, 2)), w.write(rows(2, 3)), w.write(rows(5, 4))]);
    expect(ch.inserts.map((i) => i.values.length)).toEqual([9]);
  });

  it('never inserts an id twice: replays and duplicates inside a batch are dropped before the insert', async () => {
    const ch = new FakeClickHouse();
    const w = writer(ch);
    await w.write(rows(0, 4));
    await w.write([...rows(2, 4), ...rows(5, 1)]);
    const inserted = ch.inserts.flatMap((i) => i.values.map((v) => v[0]));
    expect(inserted).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('retries a failing insert and resolves once it succeeds; rejects the writers when it keeps failing', async () => {
    const ch = new FakeClickHouse();
    const w = writer(ch, 1000, 200);
    ch.failNext = 2;
    await w.write(rows(0, 2));
    expect(ch.stored.size).toBe(2);
    expect(w.status().ok).toBe(true);
    ch.failNext = 1_000;
    await expect(w.write(rows(2, 2))).rejects.toThrow('connection refused');
    expect(w.status()).toMatchObject({ ok: false, last_error: 'connection refused' });
  });

  it('re-sends an insert with no answer unchanged (rows and token) before anything else, so a copy the server applies late is dropped', async () => {
    const ch = new FakeClickHouse();
    const w = writer(ch);
    ch.timeoutNext = 1;
    await w.write(rows(0, 3));
    expect(ch.attempts).toHaveLength(2);
    expect(ch.attempts[1].clickhouse_settings.insert_deduplication_token).toBe(ch.attempts[0].clickhouse_settings.insert_deduplication_token);
    expect(ch.attempts[1].values).toEqual(ch.attempts[0].values);
    ch.applyLate();
    expect(ch.deduplicated).toBe(1);

    // the writer gives up on a batch (the bus redelivers it, grown by a newer row): the block in doubt goes first, as it was
    const impatient = writer(ch, 1000, 1);
    ch.timeoutNext = 1;
    await expect(impatient.write(rows(10, 2))).rejects.toThrow('Timeout error.');
    await impatient.write([...rows(10, 2), ...rows(20, 1)]);
    ch.applyLate();
    expect(ch.deduplicated).toBe(2);
    expect(ch.stored).toEqual(new Set(['r0', 'r1', 'r2', 'r10', 'r11', 'r20']));
    expect(ch.inserts.flatMap((i) => i.values.map((v) => v[0]))).toEqual(['r0', 'r1', 'r2', 'r10', 'r11', 'r20']);
  });

  it('treats a server error answer and a refused connection as not applied, anything else as unknown', () => {
    expect(outcomeUnknown(Object.assign(new Error('Too many parts'), { code: '252', type: 'TOO_MANY_PARTS' }))).toBe(false);
    expect(outcomeUnknown(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(outcomeUnknown(new Error('Timeout error.'))).toBe(true);
    expect(outcomeUnknown(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('drain waits for every write handed over; a closed writer refuses new rows', async () => {
    const ch = new FakeClickHouse();
    ch.holdInserts = true;
    const w = writer(ch);
    const writes = [w.write(rows(0, 1)), w.write(rows(1, 1))];
    await tick();
    const closed = w.close();
    ch.holdInserts = false;
    ch.release();
    await closed;
    await Promise.all(writes);
    expect(ch.stored.size).toBe(2);
    await expect(w.write(rows(5, 1))).rejects.toThrow('closed');
  });
});
