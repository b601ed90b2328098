import { type Logger, counter, gauge } from '@gatehouse/observability';
import type { BusStats } from './bus.port';

const published = () => counter('gatehouse_bus_published_total', 'Messages acknowledged by the bus', ['topic']);
const dropped = () => counter('gatehouse_bus_dropped_total', 'Messages dropped because the publish buffer was full', ['topic']);
const buffered = () => gauge('gatehouse_bus_buffered', 'Messages waiting in the publish buffer');
const errors = () => counter('gatehouse_bus_publish_errors_total', 'Failed attempts to hand a batch to the bus');

/** Per-adapter counters mirrored into the process-wide Prometheus metrics, with a rate-limited drop log. */
export class BusCounters {
  private readonly s: BusStats = { buffered: 0, published: 0, dropped: 0, publishErrors: 0 };
  private lastDropLog = 0;
  private dropsSinceLog = 0;

  constructor(private readonly log: Logger) {}

  published(topic: string, n: number): void {
    this.s.published += n;
    published().inc({ topic }, n);
  }

  dropped(topic: string): void {
    this.s.dropped++;
    this.dropsSinceLog++;
    dropped().inc({ topic });
    const now = Date.now();
    if (now - this.lastDropLog >= 10_000) {
      this.log.warn({ topic, dropped: this.dropsSinceLog, total_dropped: this.s.dropped }, 'bus publish buffer full: messages dropped');
      this.lastDropLog = now;
      this.dropsSinceLog = 0;
    }
  }

  publishError(): void {
    this.s.publishErrors++;
    errors().inc();
  }

  setBuffered(n: number): void {
    this.s.buffered = n;
    buffered().set(n);
  }

  stats(): BusStats {
    return { ...this.s };
  }
}
