import { dropNullFields } from './drop-nulls';

const FREE = new Set(['input', 'parameters']);

describe('dropNullFields', () => {
  it('removes null-valued fields at any depth, in arrays too', () => {
    const body = { a: null, b: 1, list: [{ type: 'x', caller: null, citations: null }, 'text', null], nested: { c: { d: null, e: 'e' } } };
    expect(dropNullFields(body, FREE)).toEqual({ b: 1, list: [{ type: 'x' }, 'text', null], nested: { c: { e: 'e' } } });
  });

  it('leaves the values under free-form keys untouched (a null in a schema or a tool input is data)', () => {
    const body = { input: { q: null }, tools: [{ parameters: { default: null }, strict: null }] };
    expect(dropNullFields(body, FREE)).toEqual({ input: { q: null }, tools: [{ parameters: { default: null } }] });
  });

  it('never modifies its input and returns the same object when there is nothing to drop', () => {
    const clean = { a: 1, list: [{ b: 2 }], deep: { c: [1, 2] } };
    expect(dropNullFields(clean, FREE)).toBe(clean);
    const dirty = { keep: { x: 1 }, list: [{ y: null }] };
    const out = dropNullFields(dirty, FREE) as typeof dirty;
    expect(dirty.list[0]).toEqual({ y: null });
    expect(out.keep).toBe(dirty.keep);
  });
});
