import { newJobRecord, type JobPatch, type JobRecord, type JobRecords } from './job-records.port';

/** Job records of this process (standalone without Redis); the oldest go beyond `max`. */
export class MemoryJobRecords implements JobRecords {
  private readonly records = new Map<string, JobRecord>();

  constructor(private readonly max = 1000) {}

  async create(id: string, type: string, now = Date.now()): Promise<JobRecord> {
    const record = newJobRecord(id, type, now);
    this.records.set(id, record);
    if (this.records.size > this.max) this.records.delete(this.records.keys().next().value!);
    return { ...record };
  }

  async update(id: string, patch: JobPatch): Promise<void> {
    const record = this.records.get(id);
    if (record) Object.assign(record, patch);
  }

  async get(id: string): Promise<JobRecord | null> {
    const record = this.records.get(id);
    return record ? { ...record } : null;
  }

  async requestCancel(id: string): Promise<JobRecord | null> {
    const record = this.records.get(id);
    if (!record) return null;
    record.cancel_requested = true;
    return { ...record };
  }

  async close(): Promise<void> {}
}
