import { CheckSchema } from '@gatehouse/contracts/policy';
import { score, type Labelled } from '../labelled.testing';
import { backtrackingRisk, USER_REGEX_WINDOW } from '../user-regex';
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

  it('rejects patterns that backtrack exponentially and names the field', () => {
    for (const p of ['(a+)+$', '(\\w*\\s?)*x', '(x{2,})+', '(?:a|b+)*c', '(a)\\1']) {
      expect(() => make(p)).toThrow(/^pattern: /);
    }
    for (const p of ['(?:foo|bar)+', '(\\d{3})+', 'a+b*c?', '[(+*)]+', '\\(a+\\)+']) {
      expect(backtrackingRisk(p)).toBeNull();
    }
  });

  it('rejects invalid syntax and patterns matching the empty string', () => {
    expect(() => make('(unclosed')).toThrow(/invalid regular expression/);
    expect(() => make('a*')).toThrow(/empty string/);
  });

  it('finds matches across the run windows of a long input, once each', () => {
    const text = 'x '.repeat(USER_REGEX_WINDOW) + 'SEC-1 ' + 'y '.repeat(USER_REGEX_WINDOW) + 'SEC-2';
    const v = make('SEC-\\d').evaluate({ stage: 'input', texts: [text] }, ctx) as unknown as { spans: { start: number }[] };
    expect(v.spans.map((s) => text.slice(s.start, s.start + 5))).toEqual(['SEC-1', 'SEC-2']);
  });

  it('stays fast on an adversarial input for a polynomial pattern', () => {
    const t0 = process.hrtime.bigint();
    make('(?s)a.*b.*c').evaluate({ stage: 'input', texts: ['a'.repeat(50_000)] }, ctx);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(2000);
  });
});
