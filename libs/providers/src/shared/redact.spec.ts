import { maskSecrets } from './redact';

describe('maskSecrets', () => {
  it('masks API keys, bearer tokens and key=value credentials, keeping the rest', () => {
    expect(maskSecrets('Incorrect API key provided: sk-proj-abc123XYZ789. See docs.')).toBe('Incorrect API key provided: sk-***. See docs.');
    expect(maskSecrets('header Authorization: Bearer eyJhbGciOi.abc.def was rejected')).toBe('header Authorization: Bearer *** was rejected');
    expect(maskSecrets('GET /v1beta/models?key=AIzaSyD-abc123&alt=sse failed')).toBe('GET /v1beta/models?key=***&alt=sse failed');
    expect(maskSecrets('api_key=abc123 token=t0k')).toBe('api_key=*** token=***');
    expect(maskSecrets('credential AKIAIOSFODNN7EXAMPLE/20250101')).toBe('credential AKIA***/20250101');
    expect(maskSecrets('model gpt-4o-mini not found')).toBe('model gpt-4o-mini not found');
  });
});
