import type { CanonicalRequest } from '@gatehouse/formats';
import { cacheKey, type CacheKeyInput } from './cache-key';

const request = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'gpt-4o-mini',
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
  stream: false,
  temperature: 0.2,
  tools: [{ name: 'lookup', parameters: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } } }],
  ...over,
});
const input = (over: Partial<CacheKeyInput> = {}): CacheKeyInput => ({ team: 'search', format: 'openai', includeUsage: false, request: request(), ...over });

describe('cacheKey', () => {
  it('is a SHA-256 under the cache prefix and the same for the same request', () => {
    expect(cacheKey(input())).toMatch(/^gatehouse:cache:v1:[0-9a-f]{64}$/);
    expect(cacheKey(input())).toBe(cacheKey(input()));
  });

  it('does not depend on the order of object keys (a JSON schema sent with its properties in another order)', () => {
    const reordered = request({ tools: [{ parameters: { properties: { b: { type: 'number' }, a: { type: 'string' } }, type: 'object' }, name: 'lookup' }] });
    expect(cacheKey(input({ request: reordered }))).toBe(cacheKey(input()));
  });

  it('ignores the end-user id (OpenAI user, Anthropic metadata.user_id)', () => {
    expect(cacheKey(input({ request: request({ user: 'u-1' }) }))).toBe(cacheKey(input({ request: request({ user: 'u-2' }) })));
  });

  it.each<[string, Partial<CacheKeyInput>]>([
    ['team', { team: 'legal' }],
    ['client format', { format: 'anthropic' }],
    ['include_usage', { includeUsage: true }],
    ['model alias', { request: request({ model: 'gpt-4o' }) }],
    ['message text', { request: request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hello!' }] }] }) }],
    ['system prompt', { request: request({ system: [{ type: 'text', text: 'be brief' }] }) }],
    ['stream flag', { request: request({ stream: true }) }],
    ['temperature', { request: request({ temperature: 0.3 }) }],
    ['max_tokens', { request: request({ max_tokens: 10 }) }],
    ['tool_choice', { request: request({ tool_choice: { type: 'required' } }) }],
    ['response_format', { request: request({ response_format: { type: 'json_object' } }) }],
    ['tools', { request: request({ tools: [] }) }],
  ])('changes with the %s', (_, over) => {
    expect(cacheKey(input(over))).not.toBe(cacheKey(input()));
  });
});
