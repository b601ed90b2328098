import { counter } from '@gatehouse/observability';

export const jobsEnqueued = counter('gatehouse_jobs_enqueued_total', 'Jobs handed to the queue', ['job']);
export const jobsFinished = counter('gatehouse_jobs_finished_total', 'Jobs that ran to the end, by outcome (done, failed after every attempt, dropped unprocessed)', ['job', 'outcome']);
