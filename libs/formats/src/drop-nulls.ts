/**
 * SDKs serialise unset optional fields as `null` (Python `model_dump()`, OpenAI's `null` defaults),
 * and both vendors read `null` as "not set". Request decoders call this before validation so a
 * null never causes a 400. Objects under a free-form key (JSON Schemas, tool inputs, metadata)
 * are left as they are: a null there is data. Copy-on-write: the input is never modified, and
 * an object without nulls is returned as is.
 */
export function dropNullFields(value: unknown, freeForm: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const next = dropNullFields(v, freeForm);
      if (next !== v) (out ??= value.slice())[i] = next;
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const key in obj) {
    const v = obj[key];
    if (v === null) {
      out ??= { ...obj };
      delete out[key];
    } else if (typeof v === 'object' && !freeForm.has(key)) {
      const next = dropNullFields(v, freeForm);
      if (next !== v) (out ??= { ...obj })[key] = next;
    }
  }
  return out ?? obj;
}
