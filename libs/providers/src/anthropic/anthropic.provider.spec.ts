import { AnthropicConfigSchema } from './anthropic.config';
import type { UpstreamRequest } from '../provider';
import { readFixture } from '../shared/testing';
import { createAnthropicProvider } from './anthropic.provider';

const provider = (extra: Record<string, unknown> = {}) =>
  createAnthropicProvider(AnthropicConfigSchema.parse({ type: 'anthropic', api_key: 'sk-ant-api03-secret', ...extra }));

describe('createAnthropicProvider', () => {
  it('posts to /v1/messages with x-api-key and anthropic-version', () => {
    const p = provider();
    const r = p.chatRequest({ model: 'a', system: [], messages: [], stream: false }, 'claude-sonnet-4-20250514') as UpstreamRequest;
    expect(p.nativeFormat).toBe('anthropic');
    expect(r.url).toBe('https://api.anthropic.com/v1/messages');
    expect(r.headers).toMatchObject({ 'x-api-key': 'sk-ant-api03-secret', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' });
    expect(JSON.parse(r.body)).toMatchObject({ model: 'claude-sonnet-4-20250514', max_tokens: 4096 });
  });

  it('uses base_url and operator headers', () => {
    const p = provider({ base_url: 'http://127.0.0.1:4010', headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } });
    const r = p.passthroughRequest!({ model: 'x', max_tokens: 5, messages: [] }, 'claude-3-5-haiku-20241022') as UpstreamRequest;
    expect(r.url).toBe('http://127.0.0.1:4010/v1/messages');
    expect(r.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
  });

  it('reads Anthropic error types', () => {
    expect(provider().parseError(401, readFixture('anthropic', 'error-401.json'))).toEqual({ type: 'authentication_error', message: 'invalid x-api-key' });
    expect(provider().parseError(429, readFixture('anthropic', 'error-429.json')).type).toBe('rate_limit_error');
    expect(provider().parseError(401, '{"error":{"message":"bad key sk-ant-api03-AbCdEfGhIjKl"}}').message).toBe('bad key sk-***');
  });
});
