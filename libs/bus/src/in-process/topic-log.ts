import { join } from 'node:path';
import { counter, type Logger } from '@gatehouse/observability';
import { SegmentStore, type LogEntry } from './segment-store';

/** Most entries a non-compacted topic keeps (memory and disk) when no consumer group moves past them. */
export const RETAIN_MAX = 200_000;

const retentionDropped = () => counter('gatehouse_bus_retention_dropped_total', 'In-process bus messages dropped over a topic\'s retention before every consumer group read them', ['topic']);

/**
 * One topic of the in-process bus: an ordered in-memory log with monotonically increasing offsets,
 * mirrored (when persistent) to append-only segment files written in the background.
 */
export class TopicLog {
  private entries: LogEntry[] = [];
  private next = 0;
  private pending: LogEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private readonly store: SegmentStore | null;

  constructor(
    readonly name: string,
    readonly compacted: boolean,
    dataDir: string | null,
    committedMax: number,
    private readonly log: Logger,
  ) {
    this.store = dataDir ? new SegmentStore(join(dataDir, encodeURIComponent(name))) : null;
    if (this.store) this.open(this.store, committedMax);
    else this.next = committedMax;
  }

  private open(store: SegmentStore, committedMax: number): void {
    let loaded = store.load();
    this.next = Math.max(committedMax, loaded.length ? loaded[loaded.length - 1]!.o + 1 : 0);
    if (this.compacted) {
      const latest = new Map<string | null, LogEntry>();
      for (const e of loaded) {
        latest.delete(e.k);
        latest.set(e.k, e);
      }
      loaded = [...latest.values()].filter((e) => e.v !== null).sort((a, b) => a.o - b.o);
      store.rewrite(loaded, this.next);
    }
    this.entries = loaded;
  }

  get start(): number {
    return this.entries[0]?.o ?? this.next;
  }

  get end(): number {
    return this.next;
  }

  get unwritten(): number {
    return this.pending.length;
  }

  append(key: string | null, value: string | null): LogEntry {
    const e: LogEntry = { o: this.next++, k: key, v: value, t: Date.now() };
    this.entries.push(e);
    if (this.store) {
      this.pending.push(e);
      if (this.pending.length === 1) this.writing = this.writing.then(() => this.write());
    }
    if (!this.compacted && this.entries.length > RETAIN_MAX * 1.1) this.dropOverRetention();
    for (const l of this.listeners) l();
    return e;
  }

  /**
   * Keeps the newest RETAIN_MAX entries of a topic that a consumer group has fallen behind on (or
   * that none consumes): counted and logged, since that group never sees the dropped ones.
   */
  private dropOverRetention(): void {
    const cut = this.entries[this.entries.length - RETAIN_MAX]!.o;
    const dropped = cut - this.entries[0]!.o;
    retentionDropped().inc({ topic: this.name }, dropped);
    this.log.warn({ topic: this.name, dropped, retained: RETAIN_MAX }, 'bus topic over its retention: oldest messages dropped before every consumer group read them');
    this.trimBelow(cut);
  }

  /** Entries with offset >= from, at most max of them. */
  read(from: number, max: number): LogEntry[] {
    const first = this.entries[0]?.o ?? this.next;
    let i = Math.max(0, from - first);
    if (this.compacted) {
      let lo = 0;
      let hi = this.entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.entries[mid]!.o < from) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    return this.entries.slice(i, i + max);
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every entry appended so far is on disk. */
  flushed(): Promise<void> {
    return this.writing;
  }

  /** Forgets (and deletes from disk) non-compacted entries below offset: every group has consumed them. */
  trimBelow(offset: number): void {
    if (this.compacted) return;
    const first = this.entries[0]?.o;
    if (first === undefined || offset <= first) return;
    this.entries = this.entries.slice(Math.min(this.entries.length, offset - first));
    if (this.store) {
      const store = this.store;
      this.writing = this.writing.then(() => store.truncateBelow(offset)).catch((e: Error) => {
        this.log.warn({ topic: this.name, err: e.message }, 'bus segment cleanup failed');
      });
    }
  }

  private async write(): Promise<void> {
    for (let attempt = 0; this.pending.length > 0; attempt++) {
      const batch = this.pending.slice();
      try {
        await this.store!.append(batch, !this.compacted);
        this.pending.splice(0, batch.length);
      } catch (e) {
        this.log.error({ topic: this.name, err: (e as Error).message, attempt }, 'bus log append failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }
}
