import { createHash } from 'node:crypto';

const DEFAULT_DIMENSIONS = 16;

/** A deterministic unit vector for a text: SHA-256 bytes (re-hashed for more dimensions) mapped to [-1, 1], normalised. */
export function mockEmbedding(text: string, dimensions = DEFAULT_DIMENSIONS): number[] {
  const v = new Array<number>(dimensions);
  let block = createHash('sha256').update(text).digest();
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const off = (i * 2) % 32;
    if (i > 0 && off === 0) block = createHash('sha256').update(block).digest();
    const x = block.readUInt16BE(off) / 32767.5 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
  for (let i = 0; i < dimensions; i++) v[i] *= scale;
  return v;
}
