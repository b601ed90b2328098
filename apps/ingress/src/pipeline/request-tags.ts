import type { IncomingMessage } from 'node:http';
import { invalidRequest } from '@gatehouse/contracts';

const MAX_ENTRIES = 32;
const MAX_VALUE = 512;

/** `x-gatehouse-metadata`: a JSON object of strings (user, session, feature, ...). */
export function parseMetadataHeader(req: IncomingMessage): Record<string, string> {
  const raw = req.headers['x-gatehouse-metadata'];
  if (raw === undefined) return {};
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest('x-gatehouse-metadata: must be a JSON object of strings', 'x-gatehouse-metadata');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('x-gatehouse-metadata: must be a JSON object of strings', 'x-gatehouse-metadata');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ENTRIES) throw invalidRequest(`x-gatehouse-metadata: at most ${MAX_ENTRIES} entries`, 'x-gatehouse-metadata');
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw invalidRequest(`x-gatehouse-metadata.${k}: must be a string`, `x-gatehouse-metadata.${k}`);
    if (v.length > MAX_VALUE) throw invalidRequest(`x-gatehouse-metadata.${k}: at most ${MAX_VALUE} characters`, `x-gatehouse-metadata.${k}`);
    out[k] = v;
  }
  return out;
}
