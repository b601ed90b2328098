import type { ZodType } from 'zod';

/** A bus topic: its versioned name, the zod schema of its values, and whether it is compacted (latest value per key). */
export interface TopicDef<T> {
  readonly name: string;
  readonly schema: ZodType<T>;
  readonly compacted: boolean;
}

export function defineTopic<T>(name: string, schema: ZodType<T>, compacted = false): TopicDef<T> {
  return { name, schema, compacted };
}
