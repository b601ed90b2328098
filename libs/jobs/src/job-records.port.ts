/** What GET /admin/jobs/:id shows of a long-running job (a backtest). */
export interface JobRecord {
  id: string;
  /** The job kind, e.g. "policy.backtest". */
  type: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** `done` of `total` units (rows for a backtest); null before the job started. */
  progress: { done: number; total: number } | null;
  /** The job's answer once completed. */
  result: unknown;
  error: string | null;
  /** Set by DELETE /admin/jobs/:id: a queued job never starts, a running one stops at its next check. */
  cancel_requested: boolean;
  /** Times a worker started it (more than 1 when a worker died mid-run and another took it over). */
  runs: number;
}

export type JobPatch = Partial<Omit<JobRecord, 'id' | 'type' | 'created_at' | 'cancel_requested'>>;

/**
 * Where job records live, readable by every replica (port). Adapters: Redis (with the BullMQ queue;
 * records expire after JOB_RECORD_TTL_S) and in-process. Cancellation is its own flag so a
 * progress update never overwrites it.
 */
export interface JobRecords {
  create(id: string, type: string, now?: number): Promise<JobRecord>;
  update(id: string, patch: JobPatch): Promise<void>;
  get(id: string): Promise<JobRecord | null>;
  /** Sets cancel_requested; null when no such job. */
  requestCancel(id: string): Promise<JobRecord | null>;
  close(): Promise<void>;
}

export const JOB_RECORDS = Symbol('JOB_RECORDS');

/** Job records are kept for a week after their last change. */
export const JOB_RECORD_TTL_S = 7 * 24 * 3600;

export function newJobRecord(id: string, type: string, now: number): JobRecord {
  return { id, type, status: 'queued', created_at: now, started_at: null, finished_at: null, progress: null, result: null, error: null, cancel_requested: false, runs: 0 };
}
