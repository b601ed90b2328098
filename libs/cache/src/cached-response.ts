import { z } from 'zod';

/** What a hit needs besides the body: the headers of the original answer and its cost. */
export const CachedResponseMetaSchema = z.object({
  stream: z.boolean(),
  provider: z.string().nullable(),
  model_upstream: z.string().nullable(),
  /** The original request's cost (null when its price was unknown). */
  cost_usd: z.number().nonnegative().nullable(),
  /** For streams: the text the stream carried (for traces of keys that log bodies). */
  text: z.string().nullable(),
  /** Epoch ms when the entry expires in the shared store (a process-local copy never outlives it). */
  expires_at: z.number().int(),
});
export type CachedResponseMeta = z.infer<typeof CachedResponseMetaSchema>;

export interface CachedResponse {
  meta: CachedResponseMeta;
  body: string;
}

/** One JSON line of metadata, then the body verbatim (no escaping, so a hit parses only the short first line). */
export function encodeCachedResponse(meta: CachedResponseMeta, body: string): string {
  return `${JSON.stringify(meta)}\n${body}`;
}

/** null for an entry this version cannot read (it is then treated as a miss and overwritten). */
export function decodeCachedResponse(entry: string): CachedResponse | null {
  const nl = entry.indexOf('\n');
  if (nl === -1) return null;
  let meta: unknown;
  try {
    meta = JSON.parse(entry.slice(0, nl));
  } catch {
    return null;
  }
  const parsed = CachedResponseMetaSchema.safeParse(meta);
  return parsed.success ? { meta: parsed.data, body: entry.slice(nl + 1) } : null;
}

/** The expiry of an encoded entry (its metadata line), or null when it cannot be read. */
export function entryExpiry(entry: string): number | null {
  const nl = entry.indexOf('\n');
  if (nl === -1) return null;
  try {
    const v = (JSON.parse(entry.slice(0, nl)) as { expires_at?: unknown }).expires_at;
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}

/** The stored size of an entry, checked against cache.max_entry_bytes. */
export const entryBytes = (entry: string): number => Buffer.byteLength(entry);
