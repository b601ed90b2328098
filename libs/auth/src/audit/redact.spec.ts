import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('drops secret fields at any depth and cuts URLs to their origin', () => {
    const out = redactSecrets({
      id: 'key_1',
      key: 'gh-secret-value',
      key_sha256: 'ab'.repeat(32),
      alerts: [{ type: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXX' }],
      checks: [{ type: 'webhook', headers: { authorization: 'Bearer sk-1' }, url: 'https://hook.example/x?token=1' }],
      nested: { Client_Secret: 's', token: 't', keep: 1 },
    });
    expect(out).toEqual({
      id: 'key_1',
      alerts: [{ type: 'slack', url: 'https://hooks.slack.com/…' }],
      checks: [{ type: 'webhook', url: 'https://hook.example/…' }],
      nested: { keep: 1 },
    });
    expect(JSON.stringify(out)).not.toMatch(/gh-secret|sk-1|XXXX|token=1/);
  });

  it('leaves scalars and null alone', () => {
    expect(redactSecrets(null)).toBeNull();
    expect(redactSecrets('x')).toBe('x');
    expect(redactSecrets([1, { password: 'p' }])).toEqual([1, {}]);
  });
});
