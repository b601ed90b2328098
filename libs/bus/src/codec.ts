import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { z } from 'zod';
import type { TopicDef } from '@gatehouse/contracts';

const ajv = new Ajv2020({ strict: false, strictNumbers: true, allErrors: false });
const plainChecks = new WeakMap<TopicDef<unknown>, ValidateFunction>();

/**
 * The compiled JSON Schema of a plain topic's zod schema, as zod outputs it: defaulted fields
 * required, no unknown keys. A value it accepts is one zod accepts and returns unchanged, so it can be
 * encoded as it is; anything else goes through zod (which strips, fills defaults or names the error).
 */
function plainCheck<T>(topic: TopicDef<T>): ValidateFunction {
  let check = plainChecks.get(topic);
  if (!check) {
    check = ajv.compile(z.toJSONSchema(topic.schema, { io: 'output' }));
    plainChecks.set(topic, check);
  }
  return check;
}

/** Whether the plain topic's check is compiled (prepareCodecs or a first message did it). */
export function codecPrepared(topic: TopicDef<unknown>): boolean {
  return plainChecks.has(topic);
}

/** Compiles the checks of plain topics ahead of their first message (so the first request does not pay for it: ~130 ms for traces). */
export function prepareCodecs(topics: readonly TopicDef<unknown>[]): void {
  for (const t of topics) if (t.plain) plainCheck(t);
}

/**
 * Validates a value against its topic schema and JSON-encodes it (null stays null: a tombstone). Throws on an invalid value.
 * A plain topic's value is checked by its compiled JSON Schema first (a fraction of zod's cost on the
 * per-request traces); zod runs only when that check refuses it.
 */
export function encodeValue<T>(topic: TopicDef<T>, value: T | null): string | null {
  if (value === null) {
    if (!topic.compacted) throw new Error(`bus: tombstone published to non-compacted topic ${topic.name}`);
    return null;
  }
  if (topic.plain && plainCheck(topic)(value)) return JSON.stringify(value);
  const r = topic.schema.safeParse(value);
  if (!r.success) {
    throw new Error(`bus: invalid value for topic ${topic.name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return JSON.stringify(r.data);
}

export type Decoded<T> = { ok: true; value: T | null } | { ok: false; reason: string };

/**
 * Parses and validates a consumed value; null (or empty) is a tombstone, valid only on compacted
 * topics. A plain topic's value is checked by its compiled JSON Schema first, as on publish; zod runs
 * when that check refuses it (an older producer's value without a defaulted field: zod fills it in).
 */
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
  // As on publish: a plain topic's value the compiled check accepts is the value zod would return.
  if (topic.plain && plainCheck(topic)(parsed)) return { ok: true, value: parsed as T };
  const r = topic.schema.safeParse(parsed);
  if (!r.success) {
    return { ok: false, reason: `schema: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, value: r.data };
}
