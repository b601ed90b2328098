import type { TopicDef } from '@gatehouse/contracts';
import type { Bus, Subscription } from './bus.port';

/**
 * The latest value per key of a compacted topic: replayed from the beginning before start()
 * resolves, then kept live. One view per topic per process; subclasses add their own indexes.
 */
export class CompactedView<T> {
  private readonly byId = new Map<string, T>();
  private sub: Subscription | null = null;
  private caughtUp = false;
  /** Typed loosely so that a view of records stays assignable to CompactedView<unknown>; each gets only this view's values. */
  private readonly listeners: Array<(id: string, value: unknown) => void> = [];

  constructor(private readonly topic: TopicDef<T>) {}

  async start(bus: Bus): Promise<void> {
    this.sub = await bus.watch(this.topic, (id, value) => this.apply(id, value));
    this.caughtUp = true;
  }

  /** A change from the topic, or a local write applied before the bus delivers it back. */
  apply(id: string, value: T | null): void {
    const previous = this.byId.get(id);
    if (value) this.byId.set(id, value);
    else this.byId.delete(id);
    this.changed(id, value, previous);
    for (const listener of this.listeners) listener(id, value);
  }

  /** Told every change applied after this call (the new value, null for a deletion); register before start() to see the replay too. */
  onChange(listener: (id: string, value: T | null) => void): void {
    this.listeners.push(listener as (id: string, value: unknown) => void);
  }

  /** Called after every applied change (replay included). */
  protected changed(_id: string, _value: T | null, _previous: T | undefined): void {}

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  all(): T[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  /** True once the replay reached the end of the log as it was at start(). */
  get ready(): boolean {
    return this.caughtUp;
  }

  async close(): Promise<void> {
    await this.sub?.close();
  }
}
