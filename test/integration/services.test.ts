import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: test/support/global-setup.js should have started the service`);
  return value;
}

jest.setTimeout(60000);

describe('integration services', () => {
  it('a message produced to the Kafka broker is consumed back', async () => {
    const kafka = new Kafka({ clientId: 'services-test', brokers: requiredEnv('KAFKA_BROKERS').split(','), logLevel: logLevel.NOTHING });
    const topic = `services-test-${randomUUID()}`;
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `services-test-${randomUUID()}` });
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = new Promise<{ key: string; value: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => resolve({ key: String(message.key), value: String(message.value) }),
        });
      });
      const value = JSON.stringify({ id: randomUUID(), at: Date.now() });
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k1', value }] });

      await expect(received).resolves.toEqual({ key: 'k1', value });
      const topics = await admin.listTopics();
      expect(topics).toContain(topic);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('a value SET on Redis is read back with GET and expires', async () => {
    const redis = new Redis(requiredEnv('REDIS_URL'), { maxRetriesPerRequest: 1 });
    const key = `services-test:${randomUUID()}`;
    const value = randomUUID();
    try {
      expect(await redis.get(key)).toBeNull();
      expect(await redis.set(key, value, 'PX', 60000)).toBe('OK');
      expect(await redis.get(key)).toBe(value);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60000);
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });
});
