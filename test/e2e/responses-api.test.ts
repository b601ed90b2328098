import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import Ajv from 'ajv';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, UPSTREAM_KEYS, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-responses-key-0001';

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  const native = { provider: 'openai-native', model: 'gpt-4o-mini' };
  gw = await startGateway({
    mockUrl: mock.url,
    keys: [{ name: 'resp', secret: KEY }],
    // An OpenAI provider serving /responses itself: Responses requests pass through to it.
    providers: { 'openai-native': { type: 'openai', base_url: `${mock.url}/v1`, api_key: UPSTREAM_KEYS.openai, responses: 'native' } },
    models: {
      'native-model': { targets: [native], retry: { attempts: 0 } },
      'native-then-anthropic': { targets: [native, { provider: 'anthropic', model: 'claude-sonnet-4-5' }], retry: { attempts: 0 } },
    },
  });
  openai = new OpenAI({ apiKey: KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.stop();
  await mock?.close();
});
beforeEach(() => mock.reset());

const weather: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

/** The upstream paths each target type is called on (the Responses request is translated, never sent as is). */
const UPSTREAM_PATH: Record<string, RegExp> = {
  'openai-model': /^\/v1\/chat\/completions$/,
  'anthropic-model': /^\/v1\/messages$/,
  'gemini-model': /:generateContent$/,
};

describe('POST /v1/responses through the canonical model (openai SDK, responses.create)', () => {
  it.each(Object.keys(UPSTREAM_PATH))('answers text with instructions, usage and an id (%s)', async (model) => {
    mock.enqueue({ text: 'Bonjour from the upstream.', usage: { input: 12, output: 5 } });
    const r = await openai.responses.create({ model, instructions: 'Answer in French.', input: 'Say hello', max_output_tokens: 64 });
    expect(r.object).toBe('response');
    expect(r.id).toMatch(/^resp_[0-9a-f]+$/);
    expect(r.status).toBe('completed');
    expect(r.output_text).toBe('Bonjour from the upstream.');
    expect(r.output).toEqual([{ type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Bonjour from the upstream.', annotations: [], logprobs: [] }] }]);
    expect(r.usage).toMatchObject({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0].path).toMatch(UPSTREAM_PATH[model]);
    expect(JSON.stringify(mock.requests[0].body)).toContain('Answer in French.');
  });

  it.each(Object.keys(UPSTREAM_PATH))('round-trips a function call: function_call item out, function_call_output in (%s)', async (model) => {
    mock.enqueue({ tool_calls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const first = await openai.responses.create({ model, input: 'Weather in Oslo?', tools: [weather] });
    const call = first.output.find((i): i is OpenAI.Responses.ResponseFunctionToolCall => i.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"city":"Oslo"}', status: 'completed' });

    mock.enqueue({ text: 'It is sunny in Oslo.' });
    const second = await openai.responses.create({
      model,
      tools: [weather],
      input: [
        { role: 'user', content: 'Weather in Oslo?' },
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        { type: 'function_call_output', call_id: call!.call_id, output: '{"sky":"sunny"}' },
      ],
    });
    expect(second.output_text).toBe('It is sunny in Oslo.');
    const sent = JSON.stringify(mock.requests[1].body);
    expect(sent).toContain(model === 'gemini-model' ? '"functionResponse":{"name":"get_weather"' : call!.call_id);
    expect(sent).toContain('sunny');
  });

  it('answers json_schema text.format with JSON valid against the schema on the built-in mock provider', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, temperature_c: { type: 'number' } }, required: ['city', 'temperature_c'], additionalProperties: false };
    const r = await openai.responses.create({ model: 'local-model', input: 'Weather as JSON', text: { format: { type: 'json_schema', name: 'weather', schema, strict: true } } });
    expect(new Ajv().compile(schema)(JSON.parse(r.output_text))).toBe(true);
  });

  it('reports max_output_tokens as an incomplete response', async () => {
    const r = await openai.responses.create({ model: 'local-model', input: 'Tell me a long story', max_output_tokens: 3 });
    expect(r.status).toBe('incomplete');
    expect(r.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(r.usage?.output_tokens).toBe(3);
  });

  it('refuses previous_response_id and store: true with a 400 naming the field', async () => {
    for (const [extra, param] of [[{ previous_response_id: 'resp_123' }, 'previous_response_id'], [{ store: true }, 'store']] as const) {
      const err = await openai.responses.create({ model: 'local-model', input: 'hi', ...extra }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
      expect((err as Error).message).toMatch(/stores no responses/);
    }
    const tool = await openai.responses.create({ model: 'local-model', input: 'hi', tools: [{ type: 'web_search' }] }).catch((e: unknown) => e);
    expect(tool).toBeInstanceOf(OpenAI.BadRequestError);
    expect((tool as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools[0].type');
  });
});

describe('POST /v1/responses streaming (openai SDK, responses.stream)', () => {
  const typesOf = (events: ResponseStreamEvent[]) => events.map((e) => e.type);

  it.each(Object.keys(UPSTREAM_PATH))('streams typed events for text, sequence numbers in order, and a final response (%s)', async (model) => {
    mock.enqueue({ text: 'one two three four', chunks: 4, usage: { input: 9, output: 4 } });
    const stream = openai.responses.stream({ model, input: 'Count' });
    const events: ResponseStreamEvent[] = [];
    for await (const ev of stream) events.push(ev);
    const final = await stream.finalResponse();
    expect(typesOf(events)[0]).toBe('response.created');
    expect(typesOf(events)).toEqual(expect.arrayContaining(['response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done']));
    expect(typesOf(events).at(-1)).toBe('response.completed');
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.filter((e): e is OpenAI.Responses.ResponseTextDeltaEvent => e.type === 'response.output_text.delta').map((e) => e.delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('one two three four');
    expect(final.output_text).toBe('one two three four');
    expect(final.usage).toMatchObject({ input_tokens: 9, output_tokens: 4 });
  });

  it.each(Object.keys(UPSTREAM_PATH))('streams a function call as output_item.added, arguments deltas and done (%s)', async (model) => {
    mock.enqueue({ tool_calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const stream = openai.responses.stream({ model, input: 'Weather in Paris?', tools: [weather] });
    const events: ResponseStreamEvent[] = [];
    for await (const ev of stream) events.push(ev);
    const final = await stream.finalResponse();
    const added = events.find((e): e is OpenAI.Responses.ResponseOutputItemAddedEvent => e.type === 'response.output_item.added');
    expect(added?.item).toMatchObject({ type: 'function_call', name: 'get_weather' });
    const args = events.filter((e): e is OpenAI.Responses.ResponseFunctionCallArgumentsDeltaEvent => e.type === 'response.function_call_arguments.delta').map((e) => e.delta).join('');
    expect(args).toBe('{"city":"Paris"}');
    expect(typesOf(events)).toContain('response.function_call_arguments.done');
    expect(final.output).toEqual([expect.objectContaining({ type: 'function_call', name: 'get_weather', arguments: '{"city":"Paris"}' })]);
  });
});

describe('POST /v1/responses passed through to a target serving /responses (responses: native)', () => {
  it('forwards the body unchanged (model replaced) to /v1/responses and relays the upstream response as is; usage and cost reach the trace', async () => {
    mock.enqueue({ text: 'Native hello.', usage: { input: 120, output: 30, cached: 20 } });
    const params = {
      model: 'native-model',
      instructions: 'Be brief.',
      input: [{ role: 'user' as const, content: [{ type: 'input_text' as const, text: 'Hello there' }] }],
      max_output_tokens: 200,
      temperature: 0.2,
      store: false,
      metadata: { ticket: 'T-1' },
      reasoning: { effort: 'low' as const },
      tools: [weather],
      tool_choice: 'auto' as const,
    };
    const { data, response } = await openai.responses.create(params).withResponse();
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0].path).toBe('/v1/responses');
    expect(mock.requests[0].headers.authorization).toBe(`Bearer ${UPSTREAM_KEYS.openai}`);
    expect(mock.requests[0].body).toEqual({ ...params, model: 'gpt-4o-mini' });
    // The upstream's own response object, not a re-encoding (its id is the upstream's).
    expect(data.id).toMatch(/^resp_mock/);
    expect(data.output_text).toBe('Native hello.');
    expect(data.usage).toMatchObject({ input_tokens: 120, output_tokens: 30 });
    const trace = await gw.trace(response.headers.get('x-gatehouse-request-id')!);
    expect(trace).toMatchObject({ endpoint: 'responses', provider: 'openai-native', model_upstream: 'gpt-4o-mini', input_tokens: 120, output_tokens: 30, cached_tokens: 20, status: 200 });
    expect(Number(trace.cost_usd)).toBeGreaterThan(0);
  });

  it('relays the upstream\'s typed stream events unchanged (openai SDK responses.stream), with usage in the trace', async () => {
    mock.enqueue({ text: 'Streamed natively.', chunks: 3, usage: { input: 40, output: 9 } });
    const stream = openai.responses.stream({ model: 'native-model', input: 'Stream it' });
    const types: string[] = [];
    stream.on('event', (e: ResponseStreamEvent) => types.push(e.type));
    const final = await stream.finalResponse();
    expect(final.id).toMatch(/^resp_mock/);
    expect(final.output_text).toBe('Streamed natively.');
    expect(types).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      'response.output_text.delta', 'response.output_text.delta', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    expect(mock.requests[0].body).toEqual({ model: 'gpt-4o-mini', input: 'Stream it', stream: true });
    const requestId = (await (await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'native-model', input: 'again', stream: true }),
    }).then(async (r) => {
      await r.text();
      return r;
    })).headers.get('x-gatehouse-request-id'))!;
    const trace = await gw.trace(requestId);
    expect(trace).toMatchObject({ endpoint: 'responses', stream: true, status: 200 });
    expect(Number(trace.input_tokens)).toBeGreaterThan(0);
    expect(Number(trace.output_tokens)).toBeGreaterThan(0);
  });

  it('streams a function call through unchanged', async () => {
    mock.enqueue({ tool_calls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const final = await openai.responses.stream({ model: 'native-model', input: 'Weather in Oslo?', tools: [weather] }).finalResponse();
    const call = final.output.find((i) => i.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Oslo"}' });
  });

  it('fails over from the native target to a translated one (Anthropic) when it fails', async () => {
    mock.enqueue({ status: 500 });
    const { data, response } = await openai.responses.create({ model: 'native-then-anthropic', input: 'Hello' }).withResponse();
    expect(data.output_text).toBe('Hello from the mock upstream.');
    expect(data.id).not.toMatch(/^resp_mock/);
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/responses', '/v1/messages']);
    expect(response.headers.get('x-gatehouse-attempts')).toBe('2');
  });

  it('still refuses what the gateway will not carry (stored responses), naming the field', async () => {
    const err = await openai.responses.create({ model: 'native-model', input: 'Hi', previous_response_id: 'resp_123' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('previous_response_id');
    expect(mock.requests).toHaveLength(0);
  });
});
