import { DecodedEntries } from './decoded-entries';
import { encodeCachedResponse, type CachedResponseMeta } from './cached-response';

const meta = (cost: number): CachedResponseMeta => ({ stream: false, provider: 'openai', model_upstream: 'gpt-4o-mini', cost_usd: cost, text: null, expires_at: Date.now() + 60_000 });

describe('DecodedEntries', () => {
  it('answers a hit with its body and its length in bytes', () => {
    const hit = new DecodedEntries(10, 1 << 20).decode('k', encodeCachedResponse(meta(0.5), '{"text":"héllo ✓"}'));
    expect(hit).toMatchObject({ meta: { cost_usd: 0.5, provider: 'openai' }, body: '{"text":"héllo ✓"}', contentLength: String(Buffer.byteLength('{"text":"héllo ✓"}')) });
  });

  it('decodes an entry once while the store keeps answering with it, and again when the entry under the key changed', () => {
    const d = new DecodedEntries(10, 1 << 20);
    // one metadata object: meta() reads the clock, and two reads can fall in different milliseconds
    const same = meta(1);
    const first = d.decode('k', encodeCachedResponse(same, 'one'));
    // the store answers with an equal entry, a string of its own
    expect(d.decode('k', encodeCachedResponse(same, 'one'))).toBe(first);
    const second = d.decode('k', encodeCachedResponse(meta(2), 'two'));
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ body: 'two', meta: { cost_usd: 2 } });
  });

  it('answers null for an entry this version cannot read, and does not keep it', () => {
    const d = new DecodedEntries(10, 1 << 20);
    expect(d.decode('k', 'no metadata line')).toBeNull();
    expect(d.decode('k', '{"stream":"yes"}\nbody')).toBeNull();
    expect(d.decode('k', encodeCachedResponse(meta(1), 'ok'))).toMatchObject({ body: 'ok' });
  });

  it('keeps at most maxEntries decoded entries, the least recently used dropped first', () => {
    const d = new DecodedEntries(2, 1 << 20);
    const entries = ['a', 'b', 'c'].map((b) => encodeCachedResponse(meta(1), b));
    const a = d.decode('a', entries[0]);
    const b = d.decode('b', entries[1]);
    expect(d.decode('a', entries[0])).toBe(a);
    d.decode('c', entries[2]);
    expect(d.decode('a', entries[0])).toBe(a);
    const again = d.decode('b', entries[1]);
    expect(again).not.toBe(b);
    expect(again).toEqual(b);
  });
});
