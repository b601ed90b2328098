import { PolicyBodySchema, type PolicyEvent } from '@gatehouse/contracts';
import type { EvaluationResult } from './evaluation';
import { compilePolicies } from './policy-set';
import { normalizeForScan, originalRange } from './scan-normalize';

const event = (body: Record<string, unknown>): PolicyEvent => ({ id: String(body.id), version: 1, created_at: 0, policy: PolicyBodySchema.parse(body) });
const sync = (r: EvaluationResult | Promise<EvaluationResult>): EvaluationResult => {
  if (r instanceof Promise) throw new Error('expected a synchronous result');
  return r;
};
const redact = (text: string): EvaluationResult => {
  const set = compilePolicies([event({ id: 'redact-all', checks: [{ type: 'pii', action: 'redact' }, { type: 'secrets', action: 'redact' }] })]);
  return sync(set.evaluate('input', [text], { requestId: 'r', team: 't', keyId: 'k', model: 'm' }));
};

describe('normalisation before the PII and secrets detectors', () => {
  it('finds an email with a zero-width space inside and redacts the original characters, the invisible one included', () => {
    const r = redact('mail jo\u200bhn@example.com today');
    expect(r.texts[0]).toBe('mail [EMAIL_1] today');
  });

  it('finds a US SSN written in fullwidth digits', () => {
    const r = redact('ssn １２３-４５-６７８９ ok');
    expect(r.texts[0]).toBe('ssn [US_SSN_1] ok');
  });

  it('finds an OpenAI key split by a zero-width space, and one with a Cyrillic look-alike letter', () => {
    expect(redact('key sk-pr\u200boj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4 end').texts[0]).toBe('key [OPENAI_KEY_1] end');
    expect(redact('key sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4 end').texts[0]).toBe('key [OPENAI_KEY_1] end');
    expect(redact('key \u0455k-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4 end').texts[0]).toBe('key [OPENAI_KEY_1] end');
  });

  it('folds Cyrillic and Greek look-alikes in an email, bidi controls removed', () => {
    expect(redact('to j\u0430ne@ex\u0430mple.com').texts[0]).toBe('to [EMAIL_1]');
    expect(redact('to \u202Ejane@example.com\u202C!').texts[0]).toBe('to \u202E[EMAIL_1]\u202C!');
    expect(redact('to jane@\u03BFrg-mail.com').texts[0]).toBe('to [EMAIL_1]');
  });

  it('leaves ASCII text unmapped and maps expansions to whole original code points', () => {
    expect(normalizeForScan('plain ascii').from).toBeNull();
    const scan = normalizeForScan('a\uFB01b');
    expect(scan.text).toBe('afib');
    expect(originalRange(scan, 1, 2)).toEqual([1, 2]);
    expect(originalRange(scan, 0, 4)).toEqual([0, 3]);
    expect(normalizeForScan('caf\u00e9 \uD83D\uDE00').text).toBe('caf\u00e9 \uD83D\uDE00');
  });
});
