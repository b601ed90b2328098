import { unsupportedField } from '@gatehouse/contracts';

/**
 * Gemini's `parameters` / `responseSchema` accept an OpenAPI 3.0 subset, not full JSON Schema:
 * unknown keys (additionalProperties, $schema, $defs, const, oneOf, ...) are rejected with a 400.
 * This keeps the keys Gemini accepts, inlines local $refs, turns `const` into a one-value enum and
 * `type: [T, "null"]` into `type: T, nullable: true`.
 */
const KEPT_KEYS = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example',
  'minimum', 'maximum', 'default', 'propertyOrdering', 'required',
]);

const MAX_REF_DEPTH = 32;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function cleanGeminiSchema(schema: Json, field: string): Json {
  const defs: Json = { ...(isObject(schema.definitions) ? schema.definitions : {}), ...(isObject(schema.$defs) ? schema.$defs : {}) };
  return clean(schema, defs, field, 0);
}

function resolveRef(ref: string, defs: Json, field: string): Json {
  const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  const target = m ? defs[decodeURIComponent(m[1])] : undefined;
  if (!isObject(target)) throw unsupportedField(field, 'gemini', `schema reference ${ref} cannot be resolved`);
  return target;
}

function clean(node: Json, defs: Json, field: string, depth: number): Json {
  if (depth > MAX_REF_DEPTH) throw unsupportedField(field, 'gemini', 'recursive schemas are not supported');
  if (typeof node.$ref === 'string') return clean(resolveRef(node.$ref, defs, field), defs, field, depth + 1);

  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (KEPT_KEYS.has(key)) out[key] = value;
  }
  if (Array.isArray(node.type)) {
    const types = node.type.filter((t) => t !== 'null');
    if (types.length !== 1) throw unsupportedField(field, 'gemini', 'a schema type must be one type, optionally nullable');
    out.type = types[0];
    if (types.length < node.type.length) out.nullable = true;
  }
  if ('const' in node) out.enum = [node.const];
  if (Array.isArray(out.enum)) out.enum = out.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  if (isObject(node.properties)) {
    const props: Json = {};
    for (const [name, sub] of Object.entries(node.properties)) {
      if (isObject(sub)) props[name] = clean(sub, defs, field, depth + 1);
    }
    out.properties = props;
  }
  if (isObject(node.items)) out.items = clean(node.items, defs, field, depth + 1);
  const alternatives = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (alternatives) {
    const branches = alternatives.filter(isObject);
    const nonNull = branches.filter((b) => b.type !== 'null');
    if (nonNull.length < branches.length) out.nullable = true;
    if (nonNull.length === 1) Object.assign(out, clean(nonNull[0], defs, field, depth + 1), out.nullable ? { nullable: true } : {});
    else out.anyOf = nonNull.map((b) => clean(b, defs, field, depth + 1));
  }
  if (Array.isArray(node.allOf) && node.allOf.length === 1 && isObject(node.allOf[0])) {
    Object.assign(out, clean(node.allOf[0], defs, field, depth + 1));
  }
  if (Array.isArray(out.required) && isObject(out.properties)) {
    const props = out.properties;
    out.required = out.required.filter((r) => typeof r === 'string' && r in props);
  }
  return out;
}

/** Gemini rejects `type: object` with no properties; such a tool simply takes no parameters. */
export const isEmptyObjectSchema = (schema: Json): boolean =>
  (schema.type === 'object' || schema.type === undefined) &&
  (!isObject(schema.properties) || Object.keys(schema.properties).length === 0) &&
  schema.anyOf === undefined;
