import { z } from 'zod';
import { GatewayError } from '@gatehouse/contracts';
import { formatPath, parseBody } from './zod-error';

describe('zod errors as 400s naming the field', () => {
  it('formats paths the way clients write them', () => {
    expect(formatPath(['messages', 2, 'content', 0, 'image_url', 'url'])).toBe('messages[2].content[0].image_url.url');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath([])).toBe('');
  });

  const schema = z.strictObject({
    items: z.array(
      z.union([z.string(), z.array(z.strictObject({ n: z.number() }))], { error: 'expected a string or a list' }),
    ),
  });

  const errorOf = (body: unknown): GatewayError => {
    try {
      parseBody(schema, body);
    } catch (err) {
      if (err instanceof GatewayError) return err;
    }
    throw new Error('expected a GatewayError');
  };

  it('uses the union message when no branch got into the value', () => {
    const err = errorOf({ items: ['ok', 5] });
    expect(err.status).toBe(400);
    expect(err.message).toBe('items[1]: expected a string or a list');
    expect(err.param).toBe('items[1]');
  });

  it('names the deepest field when one branch got further', () => {
    expect(errorOf({ items: [[{ n: 'x' }]] }).message).toBe('items[0][0].n: expected number, received string');
  });

  it('names unknown and missing fields', () => {
    expect(errorOf({ items: [], extra: true }).message).toBe('extra: unknown parameter');
    expect(errorOf({}).message).toBe('items: is required');
  });

  it('returns the parsed value when valid', () => {
    expect(parseBody(schema, { items: ['a', [{ n: 1 }]] })).toEqual({ items: ['a', [{ n: 1 }]] });
  });
});
