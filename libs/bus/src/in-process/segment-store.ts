import { appendFile, rm } from 'node:fs/promises';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One record of a topic log: offset, key, JSON-encoded value (null = tombstone), timestamp. */
export interface LogEntry {
  o: number;
  k: string | null;
  v: string | null;
  t: number;
}

const SEGMENT_MAX = 10_000;
const segName = (base: number) => `${String(base).padStart(20, '0')}.jsonl`;

/**
 * The on-disk log of one topic: append-only JSONL segments named by their first offset. Reads are
 * synchronous (start-up only); appends are asynchronous and serialized by the caller.
 */
export class SegmentStore {
  private segments: number[] = [];
  private activeCount = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Reads every segment (oldest first). A torn last line (crash mid-write) is ignored. */
  load(): LogEntry[] {
    this.segments = readdirSync(this.dir)
      .filter((f) => /^\d{20}\.jsonl$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((a, b) => a - b);
    const out: LogEntry[] = [];
    for (const base of this.segments) {
      const lines = readFileSync(join(this.dir, segName(base)), 'utf8').split('\n');
      this.activeCount = 0;
      for (const line of lines) {
        if (!line) continue;
        try {
          out.push(JSON.parse(line) as LogEntry);
          this.activeCount++;
        } catch {
          // a partially written final line from a crash: the entry was never acknowledged
        }
      }
    }
    return out;
  }

  /** Rewrites the log as one segment holding exactly entries (used to compact on open). */
  rewrite(entries: LogEntry[], nextOffset: number): void {
    const base = entries[0]?.o ?? nextOffset;
    const tmp = join(this.dir, 'compacting.tmp');
    writeFileSync(tmp, entries.map((e) => JSON.stringify(e) + '\n').join(''));
    for (const s of this.segments) rmSync(join(this.dir, segName(s)), { force: true });
    renameSync(tmp, join(this.dir, segName(base)));
    this.segments = [base];
    this.activeCount = entries.length;
  }

  /** Appends entries (ascending offsets), rolling to a new segment every SEGMENT_MAX entries. */
  async append(entries: LogEntry[], rolling: boolean): Promise<void> {
    let i = 0;
    while (i < entries.length) {
      if (this.segments.length === 0 || (rolling && this.activeCount >= SEGMENT_MAX)) {
        this.segments.push(entries[i]!.o);
        this.activeCount = 0;
      }
      const room = rolling ? SEGMENT_MAX - this.activeCount : entries.length - i;
      const chunk = entries.slice(i, i + room);
      const base = this.segments[this.segments.length - 1]!;
      await appendFile(join(this.dir, segName(base)), chunk.map((e) => JSON.stringify(e) + '\n').join(''));
      this.activeCount += chunk.length;
      i += chunk.length;
    }
  }

  /** Deletes closed segments whose every entry lies below offset. */
  async truncateBelow(offset: number): Promise<void> {
    while (this.segments.length > 1 && this.segments[1]! <= offset) {
      const base = this.segments.shift()!;
      await rm(join(this.dir, segName(base)), { force: true });
    }
  }
}
