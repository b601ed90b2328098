import { Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { RUNTIME, type Runtime, ReadinessRegistry } from '@gatehouse/runtime';
import { createJobQueue, createJobRecords } from './create-job-queue';
import { JOB_QUEUE, type JobQueue } from './job-queue.port';
import { jobsReadiness } from './jobs-readiness';
import { JOB_RECORDS, type JobRecords } from './job-records.port';

@Injectable()
class JobQueueLifecycle implements OnModuleDestroy {
  constructor(
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(JOB_RECORDS) private readonly records: JobRecords,
    readiness: ReadinessRegistry,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    readiness.register('jobs', () => jobsReadiness(queue, runtime.config.limits.on_redis_error));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    await this.records.close();
  }
}

/**
 * Provides the JobQueue port (JOB_QUEUE) and the job records (JOB_RECORDS) from the runtime env: BullMQ and Redis when REDIS_URL is set, else
 * in-process. Import it from every module that enqueues or processes jobs; Nest instantiates a
 * static module once per application, so in standalone the ingress and the guard share one queue.
 */
@Module({
  providers: [
    { provide: JOB_QUEUE, useFactory: (runtime: Runtime) => createJobQueue(runtime.env, runtime.logger), inject: [RUNTIME] },
    { provide: JOB_RECORDS, useFactory: (runtime: Runtime) => createJobRecords(runtime.env), inject: [RUNTIME] },
    JobQueueLifecycle,
  ],
  exports: [JOB_QUEUE, JOB_RECORDS],
})
export class JobsModule {}
