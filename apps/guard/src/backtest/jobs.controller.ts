import { Controller, Delete, Get, Inject, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { JOB_RECORDS, type JobRecord, type JobRecords } from '@gatehouse/jobs';
import { Audited, AuthzGuard, idParam, Requires } from '@gatehouse/auth';

const FINISHED: ReadonlySet<JobRecord['status']> = new Set(['completed', 'failed', 'cancelled']);

/** GET /admin/jobs/:id: status, progress and (once completed) result of a long-running job; DELETE cancels it. */
@Controller('admin/jobs')
@UseGuards(AuthzGuard)
export class JobsController {
  constructor(@Inject(JOB_RECORDS) private readonly records: JobRecords) {}

  @Get(':id')
  @Requires('guardrails:operate', 'global')
  async get(@Param('id') id: string): Promise<JobRecord> {
    return this.find(id, await this.records.get(id));
  }

  /** Cancels a queued or running job (it stops before its next page); a finished job is answered as it is. */
  @Delete(':id')
  @Requires('guardrails:operate', 'global')
  @Audited({ action: 'job.cancel', target: 'job', id: idParam })
  async cancel(@Param('id') id: string): Promise<JobRecord> {
    const current = this.find(id, await this.records.get(id));
    if (FINISHED.has(current.status)) return current;
    return this.find(id, await this.records.requestCancel(id));
  }

  private find(id: string, record: JobRecord | null): JobRecord {
    if (!record) throw new NotFoundException({ error: { message: `no job with id "${id.slice(0, 80)}" (job records are kept for 7 days)`, param: 'id' } });
    return record;
  }
}
