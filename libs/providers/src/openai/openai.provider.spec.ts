import { OpenAIConfigSchema } from './openai.config';
import { readFixture } from '../shared/testing';
import { createOpenAIProvider } from './openai.provider';

const config = (extra: Record<string, unknown> = {}) => OpenAIConfigSchema.parse({ type: 'openai', api_key: 'sk-test-123456789', ...extra });

describe('createOpenAIProvider', () => {
  it('posts to api.openai.com with a bearer key by default', () => {
    const p = createOpenAIProvider(config());
    const r = p.chatRequest({ model: 'x', system: [], messages: [], stream: false }, 'gpt-4o-mini') as { url: string; headers: Record<string, string>; body: string };
    expect(r.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(r.headers.authorization).toBe('Bearer sk-test-123456789');
    expect(JSON.parse(r.body).model).toBe('gpt-4o-mini');
  });

  it('honours base_url and extra headers', () => {
    const p = createOpenAIProvider(config({ base_url: 'http://127.0.0.1:9999/v1/', headers: { 'openai-organization': 'org-1' } }));
    const r = p.embeddingsRequest!({ model: 'e', input: ['a'] }, 'text-embedding-3-small') as { url: string; headers: Record<string, string> };
    expect(r.url).toBe('http://127.0.0.1:9999/v1/embeddings');
    expect(r.headers['openai-organization']).toBe('org-1');
  });

  it('parses error bodies without leaking the key', () => {
    const p = createOpenAIProvider(config());
    const e = p.parseError(401, readFixture('openai', 'error-401.json'));
    expect(e.type).toBe('invalid_request_error');
    expect(e.message).toMatch(/^Incorrect API key provided: sk-\*\*\*/);
    expect(e.message).not.toMatch(/yx4A/);
    expect(p.parseError(429, readFixture('openai', 'error-429.json')).type).toBe('tokens');
    expect(p.parseError(502, '<html>Bad Gateway</html>')).toEqual({ type: 'http_502', message: '<html>Bad Gateway</html>' });
  });
});
