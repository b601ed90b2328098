import { decodeCachedResponse, encodeCachedResponse, entryBytes, entryExpiry, type CachedResponseMeta } from './cached-response';

const meta: CachedResponseMeta = { stream: true, provider: 'openai', model_upstream: 'gpt-4o-mini', cost_usd: 0.0012, text: 'hi', expires_at: 1_800_000_000_000 };

describe('cached response entries', () => {
  it('round-trips the metadata and the body byte for byte (newlines and JSON inside the body included)', () => {
    const body = 'data: {"a":"line\\nbreak"}\n\ndata: [DONE]\n\n';
    expect(decodeCachedResponse(encodeCachedResponse(meta, body))).toEqual({ meta, body });
  });

  it('reads an entry it cannot understand as a miss', () => {
    expect(decodeCachedResponse('no newline')).toBeNull();
    expect(decodeCachedResponse('{not json\nbody')).toBeNull();
    expect(decodeCachedResponse('{"stream":"yes"}\nbody')).toBeNull();
  });

  it('reads the expiry from the metadata line only', () => {
    expect(entryExpiry(encodeCachedResponse(meta, 'body'))).toBe(1_800_000_000_000);
    expect(entryExpiry('garbage')).toBeNull();
  });

  it('measures entries in UTF-8 bytes', () => {
    expect(entryBytes('€')).toBe(3);
  });
});
