import fc from 'fast-check';
import { runKind, scanAllRuns } from './text-scan';

/** The runs of `kind` the slow way: every maximal run of the class, as a greedy regex finds them. */
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
];
const kinds = KINDS.map(([cls, min]) => ({ cls, min, kind: runKind(new RegExp(cls), min) }));
const ALPHABET = ['a', 'Z', '0', '7', ' ', '-', '+', '(', ')', '.', '/', '=', '_', '@', ':', '\n', 'é', '\u200b', '１', '\uD83D\uDE00'];

describe('scanAllRuns (one pass for every run kind)', () => {
  it('finds exactly the maximal runs a per-kind regex finds, for every kind at once', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (chars, repeat) => {
        const text = chars.map((c, i) => (i % 5 === 0 ? c.repeat(repeat) : c)).join('');
        const { runs } = scanAllRuns(text);
        for (const k of kinds) expect(runs[k.kind.index]).toEqual(naiveRuns(text, k.cls, k.min));
      }),
      { numRuns: 500 },
    );
  });

  it('says whether the text holds a character above U+007F', () => {
    expect(scanAllRuns('plain ASCII ~\u007f').nonAscii).toBe(false);
    expect(scanAllRuns('caf\u00e9').nonAscii).toBe(true);
    expect(scanAllRuns('zero\u200bwidth').nonAscii).toBe(true);
    expect(scanAllRuns('').nonAscii).toBe(false);
  });

  it('reports a run that reaches the end of the text', () => {
    const card = kinds[1];
    expect(scanAllRuns('card 4111 1111 1111 1111').runs[card.kind.index]).toEqual([4, 24]);
  });
});
