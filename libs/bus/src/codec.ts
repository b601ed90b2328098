import type { TopicDef } from '@gatehouse/contracts';

/** Validates a value against its topic schema and JSON-encodes it (null stays null: a tombstone). Throws on an invalid value. */
export function encodeValue<T>(topic: TopicDef<T>, value: T | null): string | null {
  if (value === null) {
    if (!topic.compacted) throw new Error(`bus: tombstone published to non-compacted topic ${topic.name}`);
    return null;
  }
  const r = topic.schema.safeParse(value);
  if (!r.success) {
    throw new Error(`bus: invalid value for topic ${topic.name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return JSON.stringify(r.data);
}

export type Decoded<T> = { ok: true; value: T | null } | { ok: false; reason: string };

/** Parses and validates a consumed value; null (or empty) is a tombstone, valid only on compacted topics. */
export function decodeValue<T>(topic: TopicDef<T>, raw: string | null): Decoded<T> {
  if (raw === null || raw === '') {
    return topic.compacted ? { ok: true, value: null } : { ok: false, reason: 'empty value on a non-compacted topic' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${(e as Error).message}` };
  }
  const r = topic.schema.safeParse(parsed);
  if (!r.success) {
    return { ok: false, reason: `schema: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, value: r.data };
}
