import { PolicyBodySchema } from '@gatehouse/contracts';
import { validatePolicy } from './validate-policy';

const policy = (checks: unknown[]) => PolicyBodySchema.parse({ id: 'p', checks });

describe('validatePolicy', () => {
  it('accepts the PRODUCT.md example policy', () => {
    expect(validatePolicy(policy([
      { type: 'pii', stage: 'input', entities: ['email', 'phone', 'credit_card', 'iban', 'us_ssn', 'ip_address'], action: 'redact' },
      { type: 'prompt_injection', stage: 'input', threshold: 0.7, action: 'deny' },
      { type: 'secrets', stage: 'both', action: 'deny' },
      { type: 'regex', stage: 'output', pattern: '(?i)internal only', action: 'deny' },
      { type: 'keywords', stage: 'input', words: ['acme'], action: 'flag' },
      { type: 'json_schema', stage: 'output', schema: { type: 'object' }, action: 'deny' },
      { type: 'max_tokens', max: 4096, action: 'deny' },
      { type: 'webhook', stage: 'input', url: 'https://hooks.example.com/check', timeout_ms: 300, async: true },
    ]))).toBeNull();
  });

  it('names the field of a regex RE2 cannot run or a bad schema', () => {
    expect(validatePolicy(policy([{ type: 'keywords', words: ['a'] }, { type: 'regex', pattern: '(\\w+)\\s\\1' }]))).toEqual({ path: 'checks[1].pattern', message: expect.stringContaining('invalid regular expression for RE2') });
    expect(validatePolicy(policy([{ type: 'regex', pattern: '(\\w+\\s?)+$' }]))).toBeNull();
    expect(validatePolicy(policy([{ type: 'pii', custom: [{ name: 'x', pattern: '(a|b)\\1' }] }]))?.path).toBe('checks[0].custom[0].pattern');
    expect(validatePolicy(policy([{ type: 'json_schema', schema: { type: 12 } }]))?.path).toBe('checks[0].schema');
  });
});
