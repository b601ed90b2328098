import { CheckSchema } from '@gatehouse/contracts';
import { score, type Labelled } from '../labelled.testing';
import { createRegexCheck } from './regex.check';

const ctx = { requestId: 'r', team: 't', keyId: 'k', model: 'm' };
const make = (pattern: string) => createRegexCheck(CheckSchema.parse({ type: 'regex', pattern }) as never);
const detector = (pattern: string) => {
  const check = make(pattern);
  return (text: string): string[] => [...(check.evaluate({ stage: 'output', texts: [text] }, ctx) as unknown as { details: string[] }).details];
};

const P = (text: string): Labelled => ({ label: 'regex', text });
const N = (text: string): Labelled => ({ label: null, text });

const INTERNAL: Labelled[] = [
  P('This document is INTERNAL ONLY.'),
  P('internal only - do not share'),
  P('Marked Internal Only by legal'),
  P('(internal only)'),
  P('first line\ninternal only\nlast line'),
  P('iNtErNaL oNlY'),
  P('status: internal only; owner: ops'),
  P('"internal only"'),
  N('internal-only'),
  N('this is internal and only for you'),
  N('international only'),
  N('external only'),
  N('internal'),
  N('only internal use'),
  N('nothing to see here'),
];
const TICKET: Labelled[] = [
  P('see JIRA-1234 for details'),
  P('ABC-1 was closed'),
  P('fixed in OPS-99999'),
  P('tickets: PLAT-12, PLAT-13'),
  P('(SEC-42)'),
  P('SEC-42.'),
  P('start SEC-7 end'),
  P('BUG-100000 is old'),
  N('abc-123 lower case'),
  N('A-12 single letter'),
  N('JIRA 1234 no dash'),
  N('JIRA-'),
  N('X1-22 digit in key'),
  N('the year 2024-01'),
  N('no tickets here'),
];

describe('regex check: labelled tables', () => {
  it('PRODUCT.md example "(?i)internal only" and a case-sensitive ticket pattern: precision and recall 1.0', () => {
    expect(INTERNAL.length + TICKET.length).toBeGreaterThanOrEqual(30);
    const a = score('regex (?i)internal only', INTERNAL, detector('(?i)\\binternal only\\b'));
    const b = score('regex ticket ids', TICKET, detector('\\b[A-Z]{2,10}-\\d{1,6}\\b'));
    for (const s of [a, b]) {
      expect(s.precision).toBe(1);
      expect(s.recall).toBe(1);
    }
  });

  it('supports the (?i) prefix used in PRODUCT.md without \\b', () => {
    expect(detector('(?i)internal only')('Internal Only')).toEqual(['regex']);
    expect(detector('internal only')('Internal Only')).toEqual([]);
  });

  it('accepts the classic exponential patterns and runs them in linear time (RE2)', () => {
    for (const p of ['(a|a)*b', '(a|aa)+$', '(.*a){25}$', '^(a?){30}a{30}$', '(?:a|ab|b)*c', '(a+)+$', '(\\w*\\s?)*x']) {
      const check = make(p);
      const t0 = performance.now();
      check.evaluate({ stage: 'input', texts: ['a'.repeat(10_000) + '!'] }, ctx);
      expect([p, performance.now() - t0 < 2_000]).toEqual([p, true]);
    }
  });

  it('refuses what RE2 cannot run (backreferences, lookaround), naming the field and the reason', () => {
    expect(() => make('(a)\\1')).toThrow(/^pattern: invalid regular expression for RE2 .*invalid escape sequence/);
    expect(() => make('(?<=a)b')).toThrow(/^pattern: invalid regular expression for RE2/);
    expect(() => make('a(?!b)')).toThrow(/^pattern: invalid regular expression for RE2/);
  });

  it('rejects invalid syntax and patterns matching the empty string', () => {
    expect(() => make('(unclosed')).toThrow(/invalid regular expression/);
    expect(() => make('a*')).toThrow(/empty string/);
  });

  it('finds every match of a long input once, at UTF-16 offsets', () => {
    const text = 'x '.repeat(5000) + 'SEC-1 ' + 'é😀 '.repeat(5000) + 'SEC-2';
    const v = make('SEC-\\d').evaluate({ stage: 'input', texts: [text] }, ctx) as unknown as { spans: { start: number }[] };
    expect(v.spans.map((s) => text.slice(s.start, s.start + 5))).toEqual(['SEC-1', 'SEC-2']);
  });

  it('stays fast on an adversarial input for a polynomial pattern', () => {
    const t0 = process.hrtime.bigint();
    make('(?s)a.*b.*c').evaluate({ stage: 'input', texts: ['a'.repeat(50_000)] }, ctx);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(2000);
  });
});
