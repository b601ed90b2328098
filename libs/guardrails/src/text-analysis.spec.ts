import { normalizeForScan } from './scan-normalize';
import { analysisOf, TextAnalysis } from './text-analysis';
import { findRuns, runKind } from './text-scan';

const DIGITS = runKind(/[0-9]/, 3);

describe('TextAnalysis (the scans of a text shared by the checks)', () => {
  it('scans a text once, whichever kinds and how often the checks ask', () => {
    const a = new TextAnalysis('call 5550132 or 5550199');
    const first = a.runs(DIGITS);
    expect(first).toEqual([5, 12, 16, 23]);
    expect(a.runs(DIGITS)).toBe(first);
    expect(a.nonAscii).toBe(false);
  });

  it('uses the text itself as the normalized text when it is ASCII', () => {
    const a = new TextAnalysis('plain text 12345');
    expect(a.scan).toEqual({ text: 'plain text 12345', from: null, to: null });
    expect(a.normalized).toBe(a);
  });

  it('normalizes a non-ASCII text as normalizeForScan does and analyses the normalized text', () => {
    const text = 'card \uFF14\uFF11\uFF11 1\u200b11 p\u0430ss';
    const a = new TextAnalysis(text);
    const expected = normalizeForScan(text);
    expect(a.nonAscii).toBe(true);
    expect(a.scan.text).toBe(expected.text);
    expect(a.scan.from).toEqual(expected.from);
    expect(a.normalized.text).toBe('card 411 111 pass');
    expect(a.normalized.runs(DIGITS)).toEqual(findRuns('card 411 111 pass', DIGITS));
    expect(a.normalized.runs(DIGITS)).toEqual([5, 8, 9, 12]);
    expect(a.normalized).toBe(a.normalized);
  });

  it('a text that only has non-ASCII characters normalizing leaves alone keeps its own analysis', () => {
    const a = new TextAnalysis('caf\u00e9 123');
    expect(a.nonAscii).toBe(true);
    expect(a.normalized).toBe(a);
  });

  it('hands a check the evaluation\'s analysis of a text, or a new one when the caller gave none', () => {
    const shared = new TextAnalysis('x');
    expect(analysisOf({ texts: ['x'], analyses: [shared] }, 0)).toBe(shared);
    const own = analysisOf({ texts: ['y 123'] }, 0);
    expect(own.text).toBe('y 123');
    expect(own.runs(DIGITS)).toEqual([2, 5]);
  });
});
