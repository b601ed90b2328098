/** Error bodies are read up to this size: enough for any provider's message, bounded against a hostile or broken upstream. */
export const MAX_ERROR_BODY = 64 * 1024;

export async function readBounded(body: AsyncIterable<Uint8Array> & { destroy(): void }, max = MAX_ERROR_BODY): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    size += c.length;
    parts.push(Buffer.from(c));
    if (size >= max) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts).toString('utf8').slice(0, max);
}
