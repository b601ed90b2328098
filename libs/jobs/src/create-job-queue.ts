import type { GatehouseEnv } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import { InProcessJobQueue } from './in-process-queue';
import type { JobQueue } from './job-queue.port';

/**
 * BullMQ on Redis when REDIS_URL is set and the bus is Kafka; otherwise jobs run in this process.
 * A process on the in-process bus (standalone without KAFKA_BROKERS) keeps its jobs too: a job
 * taken from a shared Redis by another deployment's worker would publish its result to that
 * deployment's bus, and this one would never see it.
 */
export function createJobQueue(env: Pick<GatehouseEnv, 'REDIS_URL' | 'KAFKA_BROKERS'>, logger: Logger): JobQueue {
  if (env.REDIS_URL && env.KAFKA_BROKERS) {
    // BullMQ and ioredis cost ~19 MB of memory: loaded only by processes that use them.
    const { BullMqJobQueue } = require('./bullmq-queue') as typeof import('./bullmq-queue');
    return new BullMqJobQueue({ redisUrl: env.REDIS_URL, logger });
  }
  return new InProcessJobQueue({ logger });
}
