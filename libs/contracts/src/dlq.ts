import { z } from 'zod';
import { defineTopic } from './topic';

/** A message that could not be consumed: the raw bytes (as UTF-8), why, and where it came from. */
export const DlqRecordSchema = z.object({
  source_topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  key: z.string().nullable(),
  value: z.string().nullable(),
  reason: z.string(),
  consumer_group: z.string(),
  ts: z.number().int().nonnegative(),
});
export type DlqRecord = z.infer<typeof DlqRecordSchema>;

export const DlqTopic = defineTopic('gatehouse.dlq.v1', DlqRecordSchema);
