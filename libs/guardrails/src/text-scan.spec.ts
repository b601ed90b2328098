import fc from 'fast-check';
import { findRuns, isAscii, runKind } from './text-scan';

/** The runs of a class the slow way: every maximal run, as a greedy regex finds them. */
function naiveRuns(text: string, cls: string, minLength: number): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(new RegExp(`${cls}{${minLength},}`, 'g'))) out.push(m.index, m.index + m[0].length);
  return out;
}

const KINDS: [string, number][] = [
  ['[0-9 +().\\/-]', 7],
  ['[0-9 -]', 13],
  ['[A-Za-z0-9+/=_-]', 20],
  ['[A-Za-z0-9+/=]', 16],
  ['[a]', 1],
  ['[a0]', 2],
];
const kinds = KINDS.map(([cls, min]) => ({ cls, min, kind: runKind(new RegExp(cls), min) }));
const ALPHABET = ['a', 'Z', '0', '7', ' ', '-', '+', '(', ')', '.', '/', '=', '_', '@', ':', '\n', 'é', '\u200b', '１', '\uD83D\uDE00'];

describe('findRuns (reads every minLength-th character and expands around hits)', () => {
  it('finds exactly the maximal runs a regex finds, for every kind', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 200 }), fc.integer({ min: 1, max: 80 }), (chars, repeat) => {
        const text = chars.map((c, i) => (i % 5 === 0 ? c.repeat(repeat) : c)).join('');
        for (const k of kinds) expect(findRuns(text, k.kind)).toEqual(naiveRuns(text, k.cls, k.min));
      }),
      { numRuns: 500 },
    );
  });

  it('reports runs at the very start and end of the text and runs of exactly the minimum length', () => {
    const card = kinds[1].kind;
    expect(findRuns('4111 1111 1111 1111 card', card)).toEqual([0, 20]);
    expect(findRuns('card 4111 1111 1111 1111', card)).toEqual([4, 24]);
    expect(findRuns('x1234567890123x', card)).toEqual([1, 14]);
    expect(findRuns('x123456789012x', card)).toEqual([]);
  });

  it('says whether a text is ASCII', () => {
    expect(isAscii('plain ASCII ~\u007f')).toBe(true);
    expect(isAscii('caf\u00e9')).toBe(false);
    expect(isAscii('zero\u200bwidth')).toBe(false);
    expect(isAscii('lone \uD800 surrogate')).toBe(false);
    expect(isAscii('\uD83D\uDE00')).toBe(false);
    expect(isAscii('')).toBe(true);
  });
});
