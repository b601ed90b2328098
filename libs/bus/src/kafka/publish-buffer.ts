import type { Logger } from '@gatehouse/observability';
import { backoffMs, sleep } from '../backoff';
import type { BusCounters } from '../bus-metrics';

export interface OutMessage {
  topic: string;
  key: string;
  value: string | null;
}

export type SendBatch = (batch: readonly OutMessage[]) => Promise<void>;

const BATCH_SIZE = 1000;
/**
 * How long the first message of a batch waits for others. Every batch costs kafkajs a produce request
 * (record batch encoding, CRC, one GZIP stream, a socket write and the broker's answer) whatever its
 * size: at 5 ms a gateway at 1,000 req/s sent ~100 batches of ~10 traces a second and the producer was
 * a fifth of the ingress' CPU. 50 ms makes batches 10× larger for 50 ms more trace lag (the request
 * never waits for it: publishing happens after the response).
 */
const LINGER_MS = 50;

/**
 * A bounded FIFO of encoded messages drained by one background loop: batches of up to ~1000 messages
 * (or whatever arrived within ~50 ms) are handed to send(); a failed batch stays at the head and is
 * retried with backoff, unchanged: the same messages in the same order, whatever arrived meanwhile.
 * An idempotent producer's resend of a batch the broker appended without answering is then
 * recognised as a duplicate; a grown batch would carry sequence numbers the broker refuses for ever.
 * When full, new messages are dropped and counted.
 */
export class PublishBuffer {
  private queue: OutMessage[] = [];
  private head = 0;
  private wake: (() => void) | null = null;
  private drainWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly stopSignal = new AbortController();
  private readonly loop: Promise<void>;

  constructor(
    private readonly send: SendBatch,
    private readonly max: number,
    private readonly counters: BusCounters,
    private readonly log: Logger,
  ) {
    this.loop = this.run();
  }

  get size(): number {
    return this.queue.length - this.head;
  }

  push(m: OutMessage): void {
    if (this.stopped) {
      this.counters.dropped(m.topic);
      return;
    }
    if (this.size >= this.max) {
      this.counters.dropped(m.topic);
      return;
    }
    this.queue.push(m);
    this.counters.setBuffered(this.size);
    this.wake?.();
  }

  /** Resolves when the buffer is empty (everything acknowledged) or the timeout passes. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((r) => this.drainWaiters.push(r)),
      new Promise<void>((r) => {
        timer = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Drains for at most timeoutMs, then stops the loop; returns how many messages were left unsent. */
  async stop(timeoutMs: number): Promise<number> {
    await this.drain(timeoutMs);
    this.stopped = true;
    this.stopSignal.abort();
    this.wake?.();
    const timer = new AbortController();
    await Promise.race([this.loop, sleep(1000, timer.signal)]);
    timer.abort();
    return this.size;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let batch: OutMessage[] | null = null;
    while (!this.stopped) {
      if (this.size === 0) {
        await new Promise<void>((r) => {
          this.wake = r;
        });
        this.wake = null;
        continue;
      }
      if (batch === null) {
        if (this.size < BATCH_SIZE) await sleep(LINGER_MS);
        batch = this.queue.slice(this.head, this.head + BATCH_SIZE);
      }
      try {
        await this.send(batch);
        this.acknowledge(batch);
        batch = null;
        failures = 0;
      } catch (e) {
        this.counters.publishError();
        if (failures === 0 || failures % 20 === 0) {
          this.log.warn({ err: (e as Error).message, buffered: this.size, failures: failures + 1 }, 'bus publish failed; retrying');
        }
        await sleep(backoffMs(failures++), this.stopSignal.signal);
      }
    }
  }

  private acknowledge(batch: OutMessage[]): void {
    this.head += batch.length;
    // Acknowledged messages must not stay reachable: held in the array they survive scavenges and fill the old space.
    if (this.head * 2 >= this.queue.length || this.head > 4096) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    const byTopic = new Map<string, number>();
    for (const m of batch) byTopic.set(m.topic, (byTopic.get(m.topic) ?? 0) + 1);
    for (const [topic, n] of byTopic) this.counters.published(topic, n);
    this.counters.setBuffered(this.size);
    if (this.size === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }
}
