import type { IncomingHttpHeaders } from 'node:http';

/** The key a caller presents: `Authorization: Bearer <key>`, else `x-api-key: <key>`. */
export function presentedKey(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim() || null;
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x.trim()) return x.trim();
  return null;
}
