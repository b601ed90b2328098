/** Public surface of libs/jobs: the job queue port, its Nest module and the in-process adapter (BullMQ is loaded only when used). */
export * from './job-queue.port';
export * from './jobs.module';
export * from './create-job-queue';
export * from './in-process-queue';
export * from './job-records.port';
export * from './memory-job-records';
