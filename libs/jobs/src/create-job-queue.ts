import type { GatehouseEnv } from '@gatehouse/config/env';
import type { Logger } from '@gatehouse/observability/logger';
import { BullMqJobQueue } from './bullmq-queue';
import { InProcessJobQueue } from './in-process-queue';
import type { JobQueue } from './job-queue.port';

/** BullMQ on Redis when REDIS_URL is set; otherwise jobs run in this process (standalone). */
export function createJobQueue(env: Pick<GatehouseEnv, 'REDIS_URL'>, logger: Logger): JobQueue {
  if (env.REDIS_URL) return new BullMqJobQueue({ redisUrl: env.REDIS_URL, logger });
  return new InProcessJobQueue({ logger });
}
