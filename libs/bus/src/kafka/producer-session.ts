import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer, type RetryOptions } from 'kafkajs';
import type { Logger } from '@gatehouse/observability';

/**
 * Broker errors after which an idempotent producer's sequence numbers can never be accepted again:
 * kafkajs treats them as final, so resending through the same producer fails forever. Only a new
 * producer (a new producer id, sequences from 0) can send.
 */
const DESYNCHRONISED = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/** The protocol error type of a kafkajs error, looked up through the wrappers kafkajs adds (retries exceeded, non-retriable). */
export function kafkaErrorType(e: unknown): string | undefined {
  for (let cur = e as { type?: unknown; cause?: unknown } | undefined, depth = 0; cur && depth < 8; cur = cur.cause as typeof cur, depth++) {
    if (typeof cur.type === 'string') return cur.type;
  }
  return undefined;
}

export interface TopicBatch {
  topic: string;
  messages: Message[];
}

/**
 * The idempotent kafkajs producer of one bus, connected on demand. When the broker rejects its
 * sequence numbers (see DESYNCHRONISED) the failed send is rethrown and the producer replaced, so
 * the caller's retry goes through a fresh producer id: such a resend may duplicate what the broker
 * had already appended (consumers of the product's topics are idempotent), it never loses it.
 */
export class ProducerSession {
  private producer: Producer;
  private connected = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly retry: RetryOptions,
    private readonly log: Logger,
  ) {
    this.producer = this.create();
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async send(topicMessages: TopicBatch[]): Promise<void> {
    await this.guard(async (p) => {
      await p.sendBatch({ compression: CompressionTypes.GZIP, acks: -1, topicMessages });
    });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  private async guard(call: (p: Producer) => Promise<void>): Promise<void> {
    await this.connect();
    const p = this.producer;
    try {
      await call(p);
    } catch (e) {
      const type = kafkaErrorType(e);
      if (type && DESYNCHRONISED.has(type) && p === this.producer) {
        this.log.warn({ err: (e as Error).message, type }, 'kafka producer out of sync with the broker; replacing it (the retried batch may be appended twice)');
        this.producer = this.create();
        this.connected = false;
        void p.disconnect().catch(() => undefined);
      }
      throw e;
    }
  }

  private create(): Producer {
    const p = this.kafka.producer({
      idempotent: true,
      createPartitioner: Partitioners.DefaultPartitioner,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: this.retry,
    });
    p.on(p.events.DISCONNECT, () => {
      if (p === this.producer) this.connected = false;
    });
    return p;
  }
}
