import type { GatehouseEnv } from '@gatehouse/config';
import type { Logger } from '@gatehouse/observability';
import { InProcessJobQueue } from './in-process-queue';
import type { JobQueue } from './job-queue.port';
import type { JobRecords } from './job-records.port';
import { MemoryJobRecords } from './memory-job-records';

/** Jobs are shared through Redis only when the bus is shared too (see createJobQueue). */
const sharedJobs = (env: Pick<GatehouseEnv, 'REDIS_URL' | 'KAFKA_BROKERS'>): env is { REDIS_URL: string; KAFKA_BROKERS: string } => Boolean(env.REDIS_URL && env.KAFKA_BROKERS);

/**
 * BullMQ on Redis when REDIS_URL is set and the bus is Kafka; otherwise jobs run in this process.
 * A process on the in-process bus (standalone without KAFKA_BROKERS) keeps its jobs too: a job
 * taken from a shared Redis by another deployment's worker would publish its result to that
 * deployment's bus, and this one would never see it.
 */
export function createJobQueue(env: Pick<GatehouseEnv, 'REDIS_URL' | 'KAFKA_BROKERS'>, logger: Logger): JobQueue {
  if (sharedJobs(env)) {
    // BullMQ and ioredis cost ~19 MB of memory: loaded only by processes that use them.
    const { BullMqJobQueue } = require('./bullmq-queue') as typeof import('./bullmq-queue');
    return new BullMqJobQueue({ redisUrl: env.REDIS_URL, logger });
  }
  return new InProcessJobQueue({ logger });
}

/** Job records (GET /admin/jobs/:id) where the jobs are: Redis beside BullMQ, else this process. */
export function createJobRecords(env: Pick<GatehouseEnv, 'REDIS_URL' | 'KAFKA_BROKERS'>): JobRecords {
  if (sharedJobs(env)) {
    const { RedisJobRecords } = require('./redis-job-records') as typeof import('./redis-job-records');
    return new RedisJobRecords(env.REDIS_URL);
  }
  return new MemoryJobRecords();
}
