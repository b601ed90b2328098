import { BadRequestException } from '@nestjs/common';

/**
 * The version an If-Match header names: `3`, `"3"` or `W/"3"` → 3; absent or `*` → null (no
 * precondition). Anything else is a 400 naming the header.
 */
export function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return null;
  const m = /^(?:W\/)?(?:"(\d{1,15})"|(\d{1,15}))$/.exec(header.trim());
  if (!m) throw new BadRequestException({ error: { message: `If-Match: expected a policy version such as "3", got ${JSON.stringify(header.slice(0, 40))}`, param: 'If-Match' } });
  return Number(m[1] ?? m[2]);
}

/** The ETag of a policy version (a strong validator: a version names one immutable body). */
export const etagOf = (version: number): string => `"${version}"`;
