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
 * response cache), whose commands of one event-loop turn leave in one socket write: the first
 * command of a turn corks the socket, and at the end of the turn (setImmediate) the batchers'
 * `atTurnEnd` callbacks add their commands and the socket is uncorked. Redis then reads them in one
 * read and answers them in one write, so a request's cache lookup and limiter call cost the gateway
 * and Redis one system call each way instead of two. No offline queue: while Redis is away every
 * command fails at once, and ioredis reconnects in the background.
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

  /** Holds this turn's writes (a command is about to be sent) until the end of the turn. */
  hold(): void {
    if (this.corked === null && this.client.status === 'ready') {
      const socket = this.client.stream as Socket;
      socket.cork();
      this.corked = socket;
    }
    this.schedule();
  }

  /** Runs `send` at the end of this turn, before the held writes leave (a batcher's flush). */
  atTurnEnd(send: () => void): void {
    this.turnEnd.push(send);
    this.hold();
  }

  async close(): Promise<void> {
    this.release();
    this.client.disconnect();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.release());
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
