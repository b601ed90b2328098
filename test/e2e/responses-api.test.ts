import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import Ajv from 'ajv';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream/server';
import { startGateway, type Gateway } from '../support/gateway-config';

const KEY = 'gh-e2e-responses-key-0001';

let mock: MockUpstream;
let gw: Gateway;
let openai: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startGateway({ mockUrl: mock.url, keys: [{ name: 'resp', secret: KEY }] });
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
