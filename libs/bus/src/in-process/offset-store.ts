import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

type Offsets = Record<string, Record<string, number>>;

/** Committed offsets per consumer group and topic (next offset to consume), persisted atomically as JSON. */
export class OffsetStore {
  private data: Offsets = {};
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(private readonly file: string | null) {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    try {
      this.data = JSON.parse(readFileSync(file, 'utf8')) as Offsets;
    } catch {
      this.data = {};
    }
  }

  get(group: string, topic: string): number | undefined {
    return this.data[group]?.[topic];
  }

  /** Lowest committed offset of any group on the topic, or undefined when no group committed. */
  minFor(topic: string): number | undefined {
    let min: number | undefined;
    for (const g of Object.values(this.data)) {
      const o = g[topic];
      if (o !== undefined && (min === undefined || o < min)) min = o;
    }
    return min;
  }

  maxFor(topic: string): number {
    let max = 0;
    for (const g of Object.values(this.data)) max = Math.max(max, g[topic] ?? 0);
    return max;
  }

  commit(group: string, topic: string, next: number): Promise<void> {
    (this.data[group] ??= {})[topic] = next;
    if (!this.file) return Promise.resolve();
    this.dirty = true;
    this.writing = this.writing.then(() => this.persist());
    return this.writing;
  }

  flushed(): Promise<void> {
    return this.writing;
  }

  private async persist(): Promise<void> {
    if (!this.dirty || !this.file) return;
    this.dirty = false;
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(this.data));
    await rename(tmp, this.file);
  }
}
