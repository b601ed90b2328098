import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startMockUpstream, type MockUpstream, type RecordedRequest } from '../support/mock-upstream/server';
import { MOCK_MODELS, startGateway, UPSTREAM_KEYS, type Gateway, type MockProviderName } from '../support/gateway-config';

const CLIENT_KEY = 'gh-e2e-matrix-client-key-0001';
const SYSTEM = 'You are a terse weather assistant.';
const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const USAGE = { input: 120, output: 30, cached: 20, reasoning: 8 };
const PARALLEL = [
  { name: 'get_weather', arguments: '{"city":"Paris"}' },
  { name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
];

/** What each provider's wire format puts where, read from the recorded upstream request. */
interface Dialect {
  path: RegExp;
  system(body: any): string;
  maxTokens(body: any): unknown;
  toolNames(body: any): string[];
  toolSchema(body: any): unknown;
  credential(req: RecordedRequest): string;
  /** Whether the provider's usage distinguishes reasoning tokens. */
  reportsReasoning: boolean;
}

const openaiDialect = (path: RegExp, credential: (r: RecordedRequest) => string): Dialect => ({
  path,
  system: (b) => b.messages.filter((m: any) => m.role === 'system' || m.role === 'developer').map((m: any) => textOf(m.content)).join(''),
  maxTokens: (b) => b.max_completion_tokens ?? b.max_tokens,
  toolNames: (b) => (b.tools ?? []).map((t: any) => t.function.name),
  toolSchema: (b) => b.tools?.[0]?.function.parameters,
  credential,
  reportsReasoning: true,
});

const DIALECTS: Record<MockProviderName, Dialect> = {
  openai: openaiDialect(/^\/v1\/chat\/completions$/, (r) => r.headers.authorization),
  'azure-openai': openaiDialect(/^\/openai\/deployments\/gpt-4o\/chat\/completions$/, (r) => r.headers['api-key']),
  'openai-compatible': openaiDialect(/^\/v1\/chat\/completions$/, (r) => r.headers.authorization),
  anthropic: {
    path: /^\/v1\/messages$/,
    system: (b) => textOf(b.system),
    maxTokens: (b) => b.max_tokens,
    toolNames: (b) => (b.tools ?? []).map((t: any) => t.name),
    toolSchema: (b) => b.tools?.[0]?.input_schema,
    credential: (r) => r.headers['x-api-key'],
    reportsReasoning: false,
  },
  gemini: {
    path: /^\/v1beta\/models\/gemini-2\.5-flash:(generateContent|streamGenerateContent)$/,
    system: (b) => textOf(b.systemInstruction?.parts),
    maxTokens: (b) => b.generationConfig?.maxOutputTokens,
    toolNames: (b) => (b.tools ?? []).flatMap((t: any) => (t.functionDeclarations ?? []).map((f: any) => f.name)),
    toolSchema: (b) => {
      const f = b.tools?.[0]?.functionDeclarations?.[0];
      return f?.parametersJsonSchema ?? f?.parameters;
    },
    credential: (r) => r.headers['x-goog-api-key'] ?? r.query.key,
    reportsReasoning: true,
  },
  bedrock: {
    path: /^\/model\/anthropic\.claude-3-5-haiku-20241022-v1(:|%3A)0\/(converse|converse-stream)$/,
    system: (b) => textOf(b.system),
    maxTokens: (b) => b.inferenceConfig?.maxTokens,
    toolNames: (b) => (b.toolConfig?.tools ?? []).map((t: any) => t.toolSpec.name),
    toolSchema: (b) => b.toolConfig?.tools?.[0]?.toolSpec.inputSchema.json,
    credential: (r) => r.headers.authorization,
    reportsReasoning: false,
  },
};

/** An Anthropic client to an Anthropic model on Bedrock is passed through InvokeModel: the Anthropic body, without model. */
const BEDROCK_INVOKE: Dialect = {
  ...DIALECTS.anthropic,
  path: /^\/model\/anthropic\.claude-3-5-haiku-20241022-v1(:|%3A)0\/(invoke|invoke-with-response-stream)$/,
  credential: (r) => r.headers.authorization,
};

/** The dialect an Anthropic client's request reaches each provider in. */
const anthropicClientDialect = (provider: MockProviderName): Dialect => (provider === 'bedrock' ? BEDROCK_INVOKE : DIALECTS[provider]);

const EXPECTED_CREDENTIAL: Record<MockProviderName, RegExp> = {
  openai: new RegExp(`^Bearer ${UPSTREAM_KEYS.openai}$`),
  'azure-openai': new RegExp(`^${UPSTREAM_KEYS.azure}$`),
  'openai-compatible': new RegExp(`^Bearer ${UPSTREAM_KEYS.compatible}$`),
  anthropic: new RegExp(`^${UPSTREAM_KEYS.anthropic}$`),
  gemini: new RegExp(`^${UPSTREAM_KEYS.gemini}$`),
  bedrock: new RegExp(`^AWS4-HMAC-SHA256 Credential=${UPSTREAM_KEYS.bedrockAccessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request`),
};

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(textOf).join('');
  if (v && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string') return (v as { text: string }).text;
  return '';
}

const PROVIDERS = Object.keys(MOCK_MODELS) as MockProviderName[];

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'matrix', secret: CLIENT_KEY }] });
  openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: CLIENT_KEY, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

/** The one upstream request of the test: the provider's path, its configured credential, no trace of the client's key. */
function upstreamRequest(provider: MockProviderName, d: Dialect = DIALECTS[provider]): any {
  expect(mock.requests).toHaveLength(1);
  const req = mock.requests[0];
  expect(req.path).toMatch(d.path);
  expect(d.credential(req)).toMatch(EXPECTED_CREDENTIAL[provider]);
  const leaked = Object.entries(req.headers).filter(([, v]) => v.includes(CLIENT_KEY));
  expect(leaked).toEqual([]);
  expect(JSON.stringify(req.body)).not.toContain(CLIENT_KEY);
  return req.body;
}

describe.each(PROVIDERS)('OpenAI SDK → %s provider', (provider) => {
  const model = `${provider}-model`;
  const d = DIALECTS[provider];
  const tools: OpenAI.Chat.ChatCompletionTool[] = [
    { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: WEATHER_SCHEMA } },
    { type: 'function', function: { name: 'get_time', description: 'Time in a zone', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
  ];

  it('answers text with stop, usage incl. cached and reasoning tokens; system prompt and max_tokens reach the upstream', async () => {
    mock.enqueue({ text: 'Sunny and 21 degrees.', usage: USAGE });
    const res = await openai.chat.completions.create({
      model,
      max_tokens: 64,
      messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Weather in Paris?' }],
    });
    expect(res.choices[0].message.content).toBe('Sunny and 21 degrees.');
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 });
    expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(20);
    if (d.reportsReasoning) expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBe(8);
    const body = upstreamRequest(provider);
    expect(d.system(body)).toBe(SYSTEM);
    expect(d.maxTokens(body)).toBe(64);
  });

  it('returns a tool call with tool_calls finish; tool definitions reach the upstream in its dialect', async () => {
    mock.enqueue({ tool_calls: [PARALLEL[0]] });
    const res = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools });
    const call = res.choices[0].message.tool_calls?.[0];
    expect(res.choices[0].finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '')).toEqual({ city: 'Paris' });
    expect(call?.id).toBeTruthy();
    const body = upstreamRequest(provider);
    expect(d.toolNames(body)).toEqual(['get_weather', 'get_time']);
    expect(d.toolSchema(body)).toMatchObject({ type: 'object', properties: { city: { type: 'string' } } });
  });

  it('reports length when the upstream stopped at max_tokens', async () => {
    mock.enqueue({ text: 'Sunny and', stop: 'max_tokens' });
    const res = await openai.chat.completions.create({ model, max_tokens: 3, messages: [{ role: 'user', content: 'Weather?' }] });
    expect(res.choices[0].message.content).toBe('Sunny and');
    expect(res.choices[0].finish_reason).toBe('length');
  });

  it('streams text with include_usage: the SDK assembles the text, stop and the usage chunk', async () => {
    mock.enqueue({ text: 'Sunny and 21 degrees in Paris today.', chunks: 5, usage: USAGE });
    const stream = openai.chat.completions.stream({
      model,
      max_tokens: 64,
      stream_options: { include_usage: true },
      messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Weather in Paris?' }],
    });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const res = await stream.finalChatCompletion();
    expect(res.choices[0].message.content).toBe('Sunny and 21 degrees in Paris today.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30 });
    expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(20);
    if (d.reportsReasoning) expect(res.usage?.completion_tokens_details?.reasoning_tokens).toBe(8);
    const body = upstreamRequest(provider);
    expect(d.system(body)).toBe(SYSTEM);
    expect(d.maxTokens(body)).toBe(64);
  });

  it('streams two parallel tool calls with tool_calls finish', async () => {
    mock.enqueue({ tool_calls: PARALLEL });
    const res = await openai.chat.completions
      .stream({ model, messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools })
      .finalChatCompletion();
    const calls = res.choices[0].message.tool_calls ?? [];
    expect(res.choices[0].finish_reason).toBe('tool_calls');
    expect(calls.map((c) => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments)] : null))).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', { tz: 'Europe/Paris' }],
    ]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(d.toolNames(upstreamRequest(provider))).toEqual(['get_weather', 'get_time']);
  });
});

describe.each(PROVIDERS)('Anthropic SDK → %s provider', (provider) => {
  const model = `${provider}-model`;
  const d = anthropicClientDialect(provider);
  const tools: Anthropic.Tool[] = [
    { name: 'get_weather', description: 'Weather of a city', input_schema: WEATHER_SCHEMA as Anthropic.Tool.InputSchema },
    { name: 'get_time', description: 'Time in a zone', input_schema: { type: 'object', properties: { tz: { type: 'string' } } } },
  ];

  it('answers text with end_turn and usage split into uncached input and cache reads; system and max_tokens reach the upstream', async () => {
    mock.enqueue({ text: 'Sunny and 21 degrees.', usage: USAGE });
    const msg = await anthropic.messages.create({ model, max_tokens: 64, system: SYSTEM, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'Sunny and 21 degrees.' })]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 100, cache_read_input_tokens: 20, output_tokens: 30 });
    const body = upstreamRequest(provider, d);
    expect(d.system(body)).toBe(SYSTEM);
    expect(d.maxTokens(body)).toBe(64);
  });

  it('returns a tool_use block with tool_use stop; tool definitions reach the upstream in its dialect', async () => {
    mock.enqueue({ tool_calls: [PARALLEL[0]] });
    const msg = await anthropic.messages.create({ model, max_tokens: 256, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    expect(msg.stop_reason).toBe('tool_use');
    const uses = msg.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(uses.map((u) => [u.name, u.input])).toEqual([['get_weather', { city: 'Paris' }]]);
    expect(uses[0].id).toBeTruthy();
    const body = upstreamRequest(provider, d);
    expect(d.toolNames(body)).toEqual(['get_weather', 'get_time']);
    expect(d.toolSchema(body)).toMatchObject({ type: 'object', properties: { city: { type: 'string' } } });
  });

  it('reports max_tokens when the upstream stopped at the limit', async () => {
    mock.enqueue({ text: 'Sunny and', stop: 'max_tokens' });
    const msg = await anthropic.messages.create({ model, max_tokens: 3, messages: [{ role: 'user', content: 'Weather?' }] });
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'Sunny and' })]);
    expect(msg.stop_reason).toBe('max_tokens');
  });

  it('streams text: the SDK assembles the message, end_turn and usage', async () => {
    mock.enqueue({ text: 'Sunny and 21 degrees in Paris today.', chunks: 5, usage: USAGE });
    const stream = anthropic.messages.stream({ model, max_tokens: 64, system: SYSTEM, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const msg = await stream.finalMessage();
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'Sunny and 21 degrees in Paris today.' })]);
    expect(deltas.length).toBeGreaterThan(1);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 100, cache_read_input_tokens: 20, output_tokens: 30 });
    const body = upstreamRequest(provider, d);
    expect(d.system(body)).toBe(SYSTEM);
    expect(d.maxTokens(body)).toBe(64);
  });

  it('streams two parallel tool_use blocks with tool_use stop', async () => {
    mock.enqueue({ tool_calls: PARALLEL });
    const msg = await anthropic.messages.stream({ model, max_tokens: 256, tools, messages: [{ role: 'user', content: 'Weather and time in Paris?' }] }).finalMessage();
    expect(msg.stop_reason).toBe('tool_use');
    const uses = msg.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(uses.map((u) => [u.name, u.input])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', { tz: 'Europe/Paris' }],
    ]);
    expect(new Set(uses.map((u) => u.id)).size).toBe(2);
    expect(d.toolNames(upstreamRequest(provider, d))).toEqual(['get_weather', 'get_time']);
  });
});
