import { gunzipSync, gzipSync } from 'node:zlib';
import { fastGzipCodec } from './fast-gzip';

describe('fastGzipCodec', () => {
  const payload = Buffer.from(JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ traceId: `t${i}`, tokens: i * 7 }))));

  it('produces standard gzip that any gunzip reads back', async () => {
    const out = await fastGzipCodec.compress({ buffer: payload });
    expect(gunzipSync(out).equals(payload)).toBe(true);
    expect(out.length).toBeLessThan(payload.length);
  });

  it('decompresses batches compressed at the default level by other producers', async () => {
    const other = gzipSync(payload, { level: 9 });
    expect((await fastGzipCodec.decompress(other)).equals(payload)).toBe(true);
  });
});
