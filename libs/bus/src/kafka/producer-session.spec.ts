import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError, type Kafka } from 'kafkajs';
import pino from 'pino';
import { ProducerSession, kafkaErrorType } from './producer-session';

const log = pino({ level: 'silent' });
/** What kafkajs's retrier rejects with when the broker answers OUT_OF_ORDER_SEQUENCE_NUMBER. */
function outOfOrder(): Error {
  const e = new KafkaJSProtocolError({ type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', code: 45, retriable: false, message: 'The broker received an out of order sequence number' } as unknown as string);
  const Wrapper = KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;
  return new Wrapper(e, { cause: e });
}

/** A kafkajs stand-in that records which producer instance carried each send; failures[i] is thrown by producer i's first send. */
function fakeKafka(failures: Array<Error | undefined>) {
  const sends: number[] = [];
  let made = 0;
  const kafka = {
    producer: () => {
      const id = made++;
      let failed = false;
      return {
        events: { DISCONNECT: 'producer.disconnect' },
        on: () => () => undefined,
        connect: async () => undefined,
        disconnect: async () => undefined,
        sendBatch: async () => {
          sends.push(id);
          const e = failures[id];
          if (e && !failed) {
            failed = true;
            throw e;
          }
          return [];
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, sends, made: () => made };
}

describe('ProducerSession', () => {
  const batch = [{ topic: 't', messages: [{ key: 'k', value: 'v' }] }];

  it('replaces a producer the broker refuses as out of sync, so the retried send goes through a new one', async () => {
    const fake = fakeKafka([outOfOrder()]);
    const session = new ProducerSession(fake.kafka, { retries: 0 }, log);
    await expect(session.send(batch)).rejects.toThrow(/out of order sequence/);
    await session.send(batch);
    expect(fake.sends).toEqual([0, 1]);
    expect(fake.made()).toBe(2);
  });

  it('keeps its producer on an ordinary failure (a timeout): the resend keeps the sequence numbers', async () => {
    const fake = fakeKafka([new KafkaJSNumberOfRetriesExceeded(new KafkaJSRequestTimeoutError('Request Produce timed out'), { retryCount: 2, retryTime: 100 })]);
    const session = new ProducerSession(fake.kafka, { retries: 0 }, log);
    await expect(session.send(batch)).rejects.toThrow(/timed out/);
    await session.send(batch);
    expect(fake.sends).toEqual([0, 0]);
    expect(fake.made()).toBe(1);
  });

  it('finds the protocol error type behind kafkajs wrappers', () => {
    expect(kafkaErrorType(new KafkaJSNumberOfRetriesExceeded(outOfOrder(), { retryCount: 1, retryTime: 1 }))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(kafkaErrorType(new Error('plain'))).toBeUndefined();
  });
});
