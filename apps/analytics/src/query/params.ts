import { z } from 'zod';
import { invalidRequest } from '@gatehouse/contracts';

export type RawQuery = Record<string, string | string[] | undefined>;

const DAY_MS = 24 * 3600 * 1000;
const MAX_TEXT = 256;

/** ISO-8601 (with a date at least) or epoch milliseconds. */
export const TimeParam = z
  .string()
  .trim()
  .min(1, 'expected ISO-8601 or epoch milliseconds')
  .transform((s, ctx) => {
    const ms = /^\d{1,15}$/.test(s) ? Number(s) : /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) ? Date.parse(s) : NaN;
    if (!Number.isFinite(ms) || ms < 0 || ms > 253402300799999) {
      ctx.addIssue({ code: 'custom', message: `expected ISO-8601 or epoch milliseconds, got "${s.slice(0, 40)}"` });
      return z.NEVER;
    }
    return ms;
  });

const text = z.string().trim().min(1).max(MAX_TEXT);

/** ok (< 400), error (>= 400) or one HTTP status code. */
export const StatusParam = z
  .string()
  .trim()
  .regex(/^(ok|error|[1-5]\d\d)$/, 'expected "ok", "error" or an HTTP status code')
  .transform((s): StatusFilter => (s === 'ok' || s === 'error' ? { kind: s } : { kind: 'code', code: Number(s) }));
export type StatusFilter = { kind: 'ok' | 'error' } | { kind: 'code'; code: number };

export const FilterSchema = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  model: text.optional(),
  provider: text.optional(),
  team: text.optional(),
  key_id: text.optional(),
  status: StatusParam.optional(),
  error_type: text.optional(),
});

export interface Filters {
  from: number;
  to: number;
  model?: string;
  provider?: string;
  team?: string;
  key_id?: string;
  status?: StatusFilter;
  /** Traces only (the rollups and verdicts have no error type). */
  error_type?: string;
  metadata: [string, string][];
}

const METADATA_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Throws a 400 GatewayError naming the first bad parameter. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue.path.map(String).join('.') || 'query';
  throw invalidRequest(`${param}: ${issue.message}`, param);
}

/** Repeated parameters are an error: every filter takes one value. */
export function single(raw: RawQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) throw invalidRequest(`${k}: given more than once`, k);
    out[k] = v;
  }
  return out;
}

/** The common filters: time range (default: the last 24 h), dimensions, status, metadata.<k>=<v>. */
export function parseFilters(query: Record<string, string>, now = Date.now()): Filters {
  const f = parseWith(FilterSchema, pick(query, Object.keys(FilterSchema.shape)));
  const to = f.to ?? now;
  const from = f.from ?? to - DAY_MS;
  if (from >= to) throw invalidRequest('from: must be before to', 'from');
  const metadata: [string, string][] = [];
  for (const [k, v] of Object.entries(query)) {
    if (!k.startsWith('metadata.')) continue;
    const key = k.slice('metadata.'.length);
    if (!METADATA_KEY.test(key)) throw invalidRequest(`${k}: metadata keys are 1-64 of A-Z a-z 0-9 _ . : -`, k);
    if (v.length > MAX_TEXT) throw invalidRequest(`${k}: at most ${MAX_TEXT} characters`, k);
    metadata.push([key, v]);
  }
  if (metadata.length > 10) throw invalidRequest('metadata: at most 10 metadata filters', 'metadata');
  return { ...f, from, to, metadata };
}

export function pick(query: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (query[k] !== undefined) out[k] = query[k];
  return out;
}
