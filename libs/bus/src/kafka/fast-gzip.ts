import { promisify } from 'node:util';
import { constants, gzip, unzip } from 'node:zlib';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);

/** GZIP at level 1 for produced batches; decompression accepts any level, so consumers are unaffected. */
export const fastGzipCodec = {
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return gzipAsync(encoder.buffer, { level: constants.Z_BEST_SPEED });
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return unzipAsync(buffer);
  },
};

/** Replaces kafkajs' GZIP codec (default level 6) process-wide with fastGzipCodec. */
export function installFastGzip(): void {
  (CompressionCodecs as Record<number, () => typeof fastGzipCodec>)[CompressionTypes.GZIP] = () => fastGzipCodec;
}
