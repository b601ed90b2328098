import Anthropic from '@anthropic-ai/sdk';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, UPSTREAM_KEYS, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-count-tokens-key-0001';

let mock: MockUpstream;
let gw: Gateway;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({
    mockUrl: mock.url,
    keys: [{ name: 'count', secret: KEY }],
    models: {
      // The OpenAI target cannot count: passed over without an attempt.
      'openai-then-anthropic': { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }, { provider: 'anthropic', model: 'claude-sonnet-4-5' }], retry: { attempts: 0 } },
      'anthropic-then-gemini': { targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }, { provider: 'gemini', model: 'gemini-2.5-flash' }], retry: { attempts: 0 } },
    },
  });
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

  it('is exact on a Gemini target: its countTokens gets the translated request (system, contents, tools) with the provider key', async () => {
    const { data, response } = await anthropic.messages.countTokens({ model: 'gemini-model', ...params }).withResponse();
    const upstream = mock.requests.find((r) => r.path.endsWith(':countTokens'));
    expect(upstream?.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(upstream?.headers['x-goog-api-key']).toBe(UPSTREAM_KEYS.gemini);
    const counted = (upstream?.body as { generateContentRequest: Record<string, unknown> }).generateContentRequest;
    expect(counted).toMatchObject({
      model: 'models/gemini-2.5-flash',
      systemInstruction: { parts: [{ text: params.system }] },
      contents: [{ role: 'user', parts: [{ text: params.messages[0].content }] }],
      tools: [{ functionDeclarations: [{ name: 'lookup' }] }],
    });
    expect(data.input_tokens).toBe(Math.ceil(JSON.stringify([counted.systemInstruction, counted.contents, counted.tools]).length / 4));
    expect(response.headers.get('x-gatehouse-token-count')).toBe('exact');
  });

  it('estimates with the local tokenizer on targets that cannot count, marked in a header, without calling them', async () => {
    for (const model of ['openai-model', 'bedrock-model', 'local-model']) {
      const { data, response } = await anthropic.messages.countTokens({ model, ...params }).withResponse();
      expect(response.headers.get('x-gatehouse-token-count')).toBe('estimate');
      expect(data.input_tokens).toBeGreaterThan(15);
      expect(data.input_tokens).toBeLessThan(60);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('goes through the failover engine: targets that cannot count are passed over, a failing counter fails over to the next', async () => {
    const passed = await anthropic.messages.countTokens({ model: 'openai-then-anthropic', ...params }).withResponse();
    expect(passed.response.headers.get('x-gatehouse-token-count')).toBe('exact');
    expect(passed.response.headers.get('x-gatehouse-attempts')).toBe('1');
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/messages/count_tokens']);

    mock.reset();
    mock.enqueue({ status: 529 });
    const over = await anthropic.messages.countTokens({ model: 'anthropic-then-gemini', ...params }).withResponse();
    expect(over.response.headers.get('x-gatehouse-token-count')).toBe('exact');
    expect(over.response.headers.get('x-gatehouse-attempts')).toBe('2');
    expect(over.response.headers.get('x-gatehouse-provider')).toBe('gemini');
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/messages/count_tokens', '/v1beta/models/gemini-2.5-flash:countTokens']);
  });

  it('falls back to the estimate when the Anthropic count fails, and answers errors in the Anthropic format', async () => {
    mock.enqueue({ status: 503 });
    const { data, response } = await anthropic.messages.countTokens({ model: 'anthropic-model', ...params }).withResponse();
    expect(response.headers.get('x-gatehouse-token-count')).toBe('estimate');
    expect(data.input_tokens).toBeGreaterThan(15);

    mock.enqueue({ status: 400, error_message: 'messages: too many images' });
    const rejected = await anthropic.messages.countTokens({ model: 'anthropic-model', ...params }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(Anthropic.BadRequestError);
    expect((rejected as Error).message).toContain('messages: too many images');

    const bad = await anthropic.messages.countTokens({ model: 'anthropic-model', messages: 'nope' as unknown as [] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as Error).message).toContain('messages');
    const missing = await anthropic.messages.countTokens({ model: 'no-such-model', ...params }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
  });
});
