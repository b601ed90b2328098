import { createHash, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Constant-time comparison of two hex SHA-256 digests. */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== 64 || b.length !== 64) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
