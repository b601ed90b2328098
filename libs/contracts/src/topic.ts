import type { ZodType } from 'zod';

/** A bus topic: its versioned name, the zod schema of its values, and whether it is compacted (latest value per key). */
export interface TopicDef<T> {
  readonly name: string;
  readonly schema: ZodType<T>;
  readonly compacted: boolean;
  /**
   * The schema's checks are all expressible in JSON Schema (no refinements, transforms, string
   * rewrites or regexes): the bus may check a produced or consumed value against the schema's
   * compiled JSON Schema instead of running zod over it (libs/bus/src/codec.ts). Set on the topics
   * written once per request; a spec of each such schema proves both checks agree.
   */
  readonly plain: boolean;
}

export function defineTopic<T>(name: string, schema: ZodType<T>, compacted = false, plain = false): TopicDef<T> {
  return { name, schema, compacted, plain };
}
