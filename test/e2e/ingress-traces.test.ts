import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { repoRoot } from '../support/app-process';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { MOCK_MODELS, startGateway, type Gateway, type MockProviderName } from '../support/gateway-config';

const KEY = 'gh-e2e-traces-key-0001';
const PRIVATE_KEY = 'gh-e2e-traces-private-key-0002';

interface CataloguePrice {
  input_per_mtok: number;
  output_per_mtok: number;
  cached_input_per_mtok?: number;
  cache_write_per_mtok?: number;
}
const catalogue = JSON.parse(readFileSync(join(repoRoot(), 'libs/pricing/src/data/catalogue.json'), 'utf8')) as { models: Record<string, CataloguePrice> };

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({
    mockUrl: mock.url,
    keys: [
      { name: 'traced', secret: KEY, team: 'search' },
      { name: 'private', secret: PRIVATE_KEY, team: 'legal', log_bodies: false },
    ],
    models: { 'unpriced-model': { targets: [{ provider: 'openai', model: 'in-house-finetune-x' }], retry: { attempts: 0 } } },
  });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

/** Usage as the mock reports it: input includes cache reads and writes, output includes reasoning. */
interface Usage {
  input: number;
  output: number;
  cached: number;
  cache_write: number;
  reasoning: number;
}

const COST_TABLE: Array<{ provider: MockProviderName; priceKey: string; usage: Usage }> = [
  { provider: 'openai', priceKey: 'gpt-4o-mini', usage: { input: 1200, output: 450, cached: 200, cache_write: 0, reasoning: 100 } },
  { provider: 'anthropic', priceKey: 'claude-sonnet-4-5', usage: { input: 1000, output: 300, cached: 200, cache_write: 100, reasoning: 0 } },
  { provider: 'gemini', priceKey: 'gemini-2.5-flash', usage: { input: 2000, output: 400, cached: 500, cache_write: 0, reasoning: 120 } },
  { provider: 'bedrock', priceKey: 'claude-3-5-haiku', usage: { input: 900, output: 250, cached: 100, cache_write: 50, reasoning: 0 } },
  { provider: 'azure-openai', priceKey: 'gpt-4o', usage: { input: 3000, output: 700, cached: 1000, cache_write: 0, reasoning: 0 } },
];

/** Per-token list prices; cache reads/writes without their own price are billed as input, reasoning as output. */
function expectedCost(price: CataloguePrice, u: Usage): number {
  const perToken = (usdPerMtok: number) => usdPerMtok / 1_000_000;
  const uncached = u.input - u.cached - u.cache_write;
  return (
    uncached * perToken(price.input_per_mtok) +
    u.cached * perToken(price.cached_input_per_mtok ?? price.input_per_mtok) +
    u.cache_write * perToken(price.cache_write_per_mtok ?? price.input_per_mtok) +
    u.output * perToken(price.output_per_mtok)
  );
}

describe('trace cost', () => {
  it.each(COST_TABLE)('$provider/$priceKey: cost_usd is the catalogue list price of the usage', async ({ provider, priceKey, usage }) => {
    const price = catalogue.models[priceKey];
    expect(price).toBeDefined();
    mock.enqueue({ text: 'priced', usage });
    const { response } = await openai.chat.completions.create({ model: `${provider}-model`, messages: [{ role: 'user', content: 'price me' }] }).withResponse();
    const trace = await gw.trace(response.headers.get('x-gatehouse-request-id')!);
    expect(trace).toMatchObject({
      provider,
      model_upstream: MOCK_MODELS[provider].model,
      input_tokens: usage.input,
      output_tokens: usage.output,
      cached_tokens: usage.cached,
      cache_write_tokens: usage.cache_write,
      pricing_unknown: false,
    });
    expect(Math.abs((trace.cost_usd as number) - expectedCost(price, usage))).toBeLessThan(1e-9);
    expect(expectedCost(price, usage)).toBeGreaterThan(0);
  });

  it('an unknown upstream model has a null cost and pricing_unknown, never 0', async () => {
    mock.enqueue({ text: 'unpriced', usage: { input: 10, output: 5 } });
    const { response } = await openai.chat.completions.create({ model: 'unpriced-model', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const trace = await gw.trace(response.headers.get('x-gatehouse-request-id')!);
    expect(trace).toMatchObject({ model_upstream: 'in-house-finetune-x', input_tokens: 10, output_tokens: 5, cost_usd: null, pricing_unknown: true });
  });
});

describe('trace tags and bodies', () => {
  it('keeps x-gatehouse-metadata and continues the caller\'s W3C trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentSpan = '00f067aa0ba902b7';
    const { response } = await openai.chat.completions
      .create(
        { model: 'openai-model', messages: [{ role: 'user', content: 'tag me' }] },
        { headers: { 'x-gatehouse-metadata': JSON.stringify({ user: 'u-17', session: 's-9', feature: 'search' }), traceparent: `00-${traceId}-${parentSpan}-01` } },
      )
      .withResponse();
    const trace = await gw.trace(response.headers.get('x-gatehouse-request-id')!);
    expect(trace.metadata).toEqual({ user: 'u-17', session: 's-9', feature: 'search' });
    expect(trace.trace_id).toBe(traceId);
    expect(trace.parent_span_id).toBe(parentSpan);
    expect(trace.span_id).not.toBe(parentSpan);
    expect(trace).toMatchObject({ team: 'search', key_name: 'traced', status: 200, client_format: 'openai', endpoint: 'chat' });
    expect(trace.request_body).toContain('tag me');
    expect(trace.response_body).toContain('Hello from the mock upstream.');
  });

  it('stores no prompt or response text for a key with log_bodies: false', async () => {
    const privateClient = new OpenAI({ apiKey: PRIVATE_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    mock.enqueue({ text: 'confidential answer' });
    const { data, response } = await privateClient.chat.completions
      .create({ model: 'anthropic-model', messages: [{ role: 'user', content: 'confidential question' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('confidential answer');
    const trace = await gw.trace(response.headers.get('x-gatehouse-request-id')!);
    expect(trace).toMatchObject({ team: 'legal', request_body: null, response_body: null });
    expect(JSON.stringify(trace)).not.toContain('confidential');

    mock.enqueue({ text: 'confidential stream' });
    const streamed = await privateClient.chat.completions
      .create({ model: 'openai-model', stream: true, messages: [{ role: 'user', content: 'confidential streamed question' }] })
      .withResponse();
    for await (const chunk of streamed.data) void chunk;
    const streamTrace = await gw.trace(streamed.response.headers.get('x-gatehouse-request-id')!);
    expect(streamTrace).toMatchObject({ stream: true, request_body: null, response_body: null });
    expect(JSON.stringify(streamTrace)).not.toContain('confidential');
  });
});
