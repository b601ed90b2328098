import { BadRequestException } from '@nestjs/common';
import { etagOf, parseIfMatch } from './if-match';

describe('If-Match', () => {
  it('reads a bare, quoted or weak version; absent, blank and * mean no precondition', () => {
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"12"')).toBe(12);
    expect(parseIfMatch('W/"4"')).toBe(4);
    expect(parseIfMatch(undefined)).toBeNull();
    expect(parseIfMatch(' ')).toBeNull();
    expect(parseIfMatch('*')).toBeNull();
  });

  it('anything else is a 400 naming the header', () => {
    for (const bad of ['abc', '"3', '1.5', '-1', '"3", "4"']) {
      let error: unknown;
      try {
        parseIfMatch(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BadRequestException);
      expect((error as BadRequestException).getResponse()).toMatchObject({ error: { param: 'If-Match' } });
    }
  });

  it('the ETag is the quoted version', () => {
    expect(etagOf(3)).toBe('"3"');
    expect(parseIfMatch(etagOf(9))).toBe(9);
  });
});
