import type { Socket } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisLinkOptions {
  url: string;
  /**
   * Most time a command may wait for its answer before ioredis rejects it (it bounds what piles up
   * while Redis hangs; each user keeps its own shorter timeout on the request path).
   */
  commandTimeoutMs: number;
}

/**
 * One Redis connection for the users on an ingress' request path (the limiter's counters, the
 * response cache). A batcher that sends at the end of the event-loop turn (`atTurnEnd`, the
 * limiter) corks the socket until then, so the commands made in the rest of the turn (a cache
 * lookup made after the limiter's call) leave in the same socket write as the batch: Redis reads
 * them in one read and answers them in one write, and a request's lookup and limiter call cost the
 * gateway and Redis one system call each way instead of two. Without a batch pending, a command goes
 * out at once. No offline queue: while Redis is away every command fails at once, and ioredis
 * reconnects in the background.
 */
export class RedisLink {
  readonly client: Redis;
  private corked: Socket | null = null;
  private scheduled = false;
  private readonly turnEnd: Array<() => void> = [];

  constructor(opts: RedisLinkOptions) {
    this.client = new Redis(opts.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: Math.max(1_000, opts.commandTimeoutMs),
      connectTimeout: Math.max(1_000, opts.commandTimeoutMs),
      retryStrategy: (times) => Math.min(50 * times, 1_000),
      enableReadyCheck: true,
    });
    // Each user reports failures of its own commands; an 'error' event without a listener would be printed by ioredis.
    this.client.on('error', () => undefined);
  }

  /** Runs `send` at the end of this turn; the turn's writes are held until it has run. */
  atTurnEnd(send: () => void): void {
    this.turnEnd.push(send);
    if (this.corked === null && this.client.status === 'ready') {
      const socket = this.client.stream as Socket;
      socket.cork();
      this.corked = socket;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.release());
  }

  async close(): Promise<void> {
    this.release();
    this.client.disconnect();
  }

  private release(): void {
    this.scheduled = false;
    for (let i = 0; i < this.turnEnd.length; i++) this.turnEnd[i]();
    this.turnEnd.length = 0;
    const socket = this.corked;
    this.corked = null;
    socket?.uncork();
  }
}
