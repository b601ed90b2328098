import Anthropic from '@anthropic-ai/sdk';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, UPSTREAM_KEYS, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-count-tokens-key-0001';

let mock: MockUpstream;
let gw: Gateway;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'count', secret: KEY }] });
  anthropic = new Anthropic({ apiKey: KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

const params = {
  system: 'You are terse.',
  messages: [{ role: 'user' as const, content: 'How many tokens is this sentence, roughly?' }],
  tools: [{ name: 'lookup', input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } } }],
};

describe('POST /v1/messages/count_tokens (@anthropic-ai/sdk messages.countTokens)', () => {
  it('is exact on an Anthropic target: the count comes from its count_tokens endpoint, with the gateway key and the upstream model', async () => {
    const { data, response } = await anthropic.messages.countTokens({ model: 'anthropic-model', ...params }).withResponse();
    const upstream = mock.requests.find((r) => r.path === '/v1/messages/count_tokens');
    expect(upstream?.headers['x-api-key']).toBe(UPSTREAM_KEYS.anthropic);
    expect(upstream?.body).toEqual({ model: 'claude-sonnet-4-5', ...params });
    expect(data.input_tokens).toBe(Math.ceil(JSON.stringify([params.system, params.messages, params.tools]).length / 4));
    expect(response.headers.get('x-gatehouse-token-count')).toBe('exact');
    expect(response.headers.get('x-gatehouse-provider')).toBe('anthropic');
  });

  it('estimates with the local tokenizer on targets that cannot count, marked in a header, without calling them', async () => {
    for (const model of ['openai-model', 'gemini-model', 'local-model']) {
      const { data, response } = await anthropic.messages.countTokens({ model, ...params }).withResponse();
      expect(response.headers.get('x-gatehouse-token-count')).toBe('estimate');
      expect(data.input_tokens).toBeGreaterThan(15);
      expect(data.input_tokens).toBeLessThan(60);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('falls back to the estimate when the Anthropic count fails, and answers errors in the Anthropic format', async () => {
    mock.enqueue({ status: 503 });
    const { data, response } = await anthropic.messages.countTokens({ model: 'anthropic-model', ...params }).withResponse();
    expect(response.headers.get('x-gatehouse-token-count')).toBe('estimate');
    expect(data.input_tokens).toBeGreaterThan(15);

    const bad = await anthropic.messages.countTokens({ model: 'anthropic-model', messages: 'nope' as unknown as [] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as Error).message).toContain('messages');
    const missing = await anthropic.messages.countTokens({ model: 'no-such-model', ...params }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
  });
});
