import { CheckSchema } from '@gatehouse/contracts';
import { score, type Labelled } from '../labelled.testing';
import { createKeywordsCheck } from './keywords.check';

const ctx = { requestId: 'r', team: 't', keyId: 'k', model: 'm' };
const detector = (words: string[], case_sensitive = false) => {
  const check = createKeywordsCheck(CheckSchema.parse({ type: 'keywords', words, case_sensitive, action: 'flag' }) as never);
  return (text: string): string[] => [...(check.evaluate({ stage: 'input', texts: [text] }, ctx) as unknown as { details: string[] }).details];
};
const P = (text: string): Labelled => ({ label: 'keyword', text });
const N = (text: string): Labelled => ({ label: null, text });

const WORDS = ['project falcon', 'acme', 'c++', 'naïve'];
const TABLE: Labelled[] = [
  P('What is the status of Project Falcon?'),
  P('project   falcon launch date'),
  P('ACME quarterly numbers'),
  P('acme.'),
  P('(Acme)'),
  P('we code in C++ mostly'),
  P('c++'),
  P('a naïve approach'),
  P('NAÏVE BAYES'),
  P('acme, project falcon and more'),
  P('"acme"'),
  P('acme-corp merger'),
  P('the Acme\'s offices'),
  P('line one\nacme\nline three'),
  P('-acme-'),
  N('acmeville is a town'),
  N('the acmes plural'),
  N('macme'),
  N('project falconry'),
  N('falcon project'),
  N('project_falcon'),
  N('c+ grade'),
  N('naive without diaeresis'),
  N('acme1'),
  N('_acme'),
  N('projectfalcon'),
  N('nothing relevant'),
  N('ac me'),
  N('ACMÉ accented'),
  N('the acmé'),
];

describe('keywords check: labelled table', () => {
  it('whole words and phrases, case-insensitive, any script: precision and recall 1.0', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    const s = score('keywords', TABLE, detector(WORDS));
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(1);
  });

  it('accepts hyphenated and punctuated words (the docs example project-x) and matches them whole', () => {
    const d = detector(['project-x', 'a/b', 'x.y']);
    expect(d('is project-x on track?')).toEqual(['keyword']);
    expect(d('PROJECT-X')).toEqual(['keyword']);
    expect(d('see a/b and x.y')).toEqual(['keyword']);
    expect(d('project-xy and project x and xay')).toEqual([]);
  });

  it('case_sensitive matches the exact case only', () => {
    const d = detector(['ACME'], true);
    expect(d('ACME report')).toEqual(['keyword']);
    expect(d('Acme report')).toEqual([]);
  });

  it('reports every occurrence as a span for redaction', () => {
    const check = createKeywordsCheck(CheckSchema.parse({ type: 'keywords', words: ['acme'] }) as never);
    const v = check.evaluate({ stage: 'input', texts: ['acme and ACME', 'no', 'Acme'] }, ctx) as unknown as { spans: { text: number; start: number }[] };
    expect(v.spans.map((s) => [s.text, s.start])).toEqual([[0, 0], [0, 9], [2, 0]]);
  });
});
