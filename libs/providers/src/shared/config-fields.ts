import { z } from 'zod';

const isHttp = (u: string): boolean => /^https?:\/\//.test(u);

/** An http(s) URL; `required` names the provider type and why when it is missing. */
export function httpUrl(required?: { type: string; why: string }) {
  const base = required
    ? z.string({ error: (iss) => (iss.input === undefined ? `required for type ${required.type} (${required.why})` : undefined) })
    : z.string();
  return base.url().refine(isHttp, 'must be an http(s) URL');
}

/** The fields every provider type accepts. */
export const commonFields = {
  base_url: httpUrl().optional(),
  api_key: z.string().min(1).optional(),
  /** Extra static headers sent upstream (e.g. OpenRouter's HTTP-Referer). */
  headers: z.record(z.string(), z.string()).optional(),
  /** Upstream connection pool size per origin. */
  max_connections: z.number().int().positive().max(10000).default(256),
};

/** OpenAI-dialect servers: whether /v1/responses is sent to the upstream's own /responses (`native`) or translated to Chat Completions. */
export const responsesMode = z.enum(['native', 'translate']).default('translate');

/** A provider type's config: `type` plus its fields, nothing else (a field of another type is an error naming it). */
export function providerConfig<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  const fields = { type: z.literal(type), ...commonFields, ...shape } as { type: z.ZodLiteral<T> } & Omit<typeof commonFields, keyof S> & S;
  return z.strictObject(
    fields,
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `not a field of provider type ${type}` : undefined) },
  );
}
