import { createLogger } from '@gatehouse/observability';
import { createJobQueue } from './create-job-queue';

describe('createJobQueue', () => {
  const logger = createLogger('silent');

  it('runs jobs in process without REDIS_URL', async () => {
    const q = createJobQueue({ REDIS_URL: undefined, KAFKA_BROKERS: 'k:9092' }, logger);
    expect(q.kind).toBe('in-process');
    await q.close();
  });

  it('keeps jobs in process on the in-process bus even when REDIS_URL is set', async () => {
    const q = createJobQueue({ REDIS_URL: 'redis://127.0.0.1:1', KAFKA_BROKERS: undefined }, logger);
    expect(q.kind).toBe('in-process');
    await q.close();
  });

  it('uses BullMQ with Redis and Kafka', async () => {
    const q = createJobQueue({ REDIS_URL: 'redis://127.0.0.1:1', KAFKA_BROKERS: 'k:9092' }, logger);
    expect(q.kind).toBe('bullmq');
    await q.close();
  });
});
