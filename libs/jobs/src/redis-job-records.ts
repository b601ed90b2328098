import { Redis } from 'ioredis';
import { JOB_RECORD_TTL_S, newJobRecord, type JobPatch, type JobRecord, type JobRecords } from './job-records.port';

const key = (id: string) => `gatehouse:job:${id}`;

/**
 * Job records in Redis: one hash per job, field `record` (JSON, written by the worker running it)
 * and field `cancel` (written by DELETE /admin/jobs/:id), so neither overwrites the other.
 */
export class RedisJobRecords implements JobRecords {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2 });
    this.redis.on('error', () => undefined);
  }

  async create(id: string, type: string, now = Date.now()): Promise<JobRecord> {
    const record = newJobRecord(id, type, now);
    await this.redis.multi().hset(key(id), 'record', JSON.stringify(record)).expire(key(id), JOB_RECORD_TTL_S).exec();
    return record;
  }

  async update(id: string, patch: JobPatch): Promise<void> {
    const current = await this.get(id);
    if (!current) return;
    const { cancel_requested: _c, ...next } = { ...current, ...patch };
    await this.redis.multi().hset(key(id), 'record', JSON.stringify(next)).expire(key(id), JOB_RECORD_TTL_S).exec();
  }

  async get(id: string): Promise<JobRecord | null> {
    const [raw, cancel] = await this.redis.hmget(key(id), 'record', 'cancel');
    if (!raw) return null;
    return { ...(JSON.parse(raw) as JobRecord), cancel_requested: cancel === '1' };
  }

  async requestCancel(id: string): Promise<JobRecord | null> {
    if (!(await this.redis.hexists(key(id), 'record'))) return null;
    await this.redis.hset(key(id), 'cancel', '1');
    return this.get(id);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
